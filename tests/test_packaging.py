"""The package imports lightly and works from an installed wheel, outside the checkout; the sdist passes its tests."""

import csv
import email
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import frictionless
import pytest

import migration_analysis as ma
from conftest import ROOT


def test_import_does_not_load_plotting_libraries_or_engines():
    code = ("import sys, migration_analysis; "
            "print(sorted(m for m in ('matplotlib', 'seaborn', 'duckdb', 'pyspark') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(dist), str(ROOT)], check=True, capture_output=True)
    return next(dist.glob("migration_analysis-*.whl"))


@pytest.fixture(scope="module")
def site(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    zipfile.ZipFile(wheel).extractall(target)  # a wheel is a zip laid out as site-packages
    return target


def test_wheel_ships_the_processed_data_and_loads_it(site, tmp_path):
    assert (site / "migration_analysis/data/processed/events.csv").is_file()
    code = ("import migration_analysis as ma; b = ma.load_account_bans(); "
            f"print(ma.default_data_dir().parent.parent.parent == __import__('pathlib').Path(r'{site}'), len(b))")
    result = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, r'{site}'); {code}"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    inside, rows = result.stdout.split()
    with open(ROOT / "data/processed/account_bans.csv", newline="", encoding="utf-8") as f:
        expected_rows = sum(1 for _ in csv.reader(f)) - 1
    assert inside == "True" and int(rows) == expected_rows


def test_wheel_ships_the_descriptor_beside_the_data_and_it_validates(site):
    descriptor = site / "migration_analysis/data/datapackage.json"
    assert descriptor.read_bytes() == (ROOT / "data/datapackage.json").read_bytes()
    assert (site / "migration_analysis/data/LICENSE").is_file()
    report = frictionless.validate(str(descriptor))  # paths, bytes and hashes hold in the installed copy
    assert report.valid, [e.note for task in report.tasks for e in task.errors]


def test_wheel_is_typed_and_its_metadata_complete(site):
    assert (site / "migration_analysis/py.typed").is_file()
    info = next(site.glob("migration_analysis-*.dist-info"))
    meta = email.message_from_string((info / "METADATA").read_text(encoding="utf-8"))
    assert meta["Version"] == ma.__version__
    assert "matplotlib>=3.10" in meta.get_all("Requires-Dist")
    assert "report" in meta.get_all("Provides-Extra")
    assert "Typing :: Typed" in meta.get_all("Classifier")
    assert not meta.get_all("Project-URL"), "no public address is known; none may be invented"
    entry_points = (info / "entry_points.txt").read_text(encoding="utf-8")
    assert "migration-analysis = migration_analysis.cli:main" in entry_points


# The tests an unpacked sdist runs: data, descriptor, validation, loaders, CLI, notebooks' conventions, docs, lint.
SDIST_TESTS = ["tests/test_build.py", "tests/test_datapackage.py", "tests/test_validate.py", "tests/test_load.py",
               "tests/test_cli.py", "tests/test_notebooks.py", "tests/test_docs.py", "tests/test_tooling.py"]


def test_the_sdist_passes_its_own_tests(tmp_path):
    dist = tmp_path / "dist"
    code = f"from hatchling.build import build_sdist; print(build_sdist({str(dist)!r}))"
    name = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    sdist = dist / name.stdout.strip().splitlines()[-1]
    assert sdist.is_file()
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path, filter="data")
    unpacked = tmp_path / sdist.name.removesuffix(".tar.gz")
    for needed in ("notebooks/01_data_overview.ipynb", "docs/data_dictionary.md", "examples/own_data/README.md",
                   "benchmarks/bench_load.py", "Makefile", "requirements.lock", "data/datapackage.json",
                   "tests/baseline", "tests/fixtures/valid/waves.csv", ".ci/run"):
        assert (unpacked / needed).exists(), f"the sdist lacks {needed}"
    assert not list(unpacked.rglob("__pycache__")) and not (unpacked / ".venv").exists()
    env = {**os.environ, "PYTHONPATH": str(unpacked / "src")}  # the sdist's own code, not the checkout's
    env.pop("MPLBACKEND", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SDIST_TESTS],
                            cwd=unpacked, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1] and "failed" not in result.stdout.splitlines()[-1]
    check = subprocess.run([sys.executable, "-c", "import migration_analysis, sys; print(migration_analysis.__file__)"],
                           cwd=unpacked, env=env, capture_output=True, text=True, check=True)
    assert check.stdout.strip() == str(unpacked / "src/migration_analysis/__init__.py")

