"""What the Python ecosystem expects of the package: lint, types, docstrings, one version, metadata."""

import ast
import doctest
import inspect
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import migration_analysis as ma
from conftest import ROOT
from migration_analysis.data import load, schema

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed" in result.stdout


def test_ruff_is_configured_in_pyproject():
    lint = PYPROJECT["tool"]["ruff"]["lint"]
    assert {"E", "F", "W", "I", "UP", "B"} <= set(lint["select"])
    assert PYPROJECT["tool"]["ruff"]["line-length"] == 120


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse((ROOT / "src/migration_analysis/__init__.py").read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name}: re-export it as `{alias.name} as {alias.name}`"
            found[alias.name] = node.module
    return found


def test_lazy_names_are_visible_to_type_checkers():
    """Every name loaded on first use is imported under TYPE_CHECKING, from the module it loads from."""
    assert _type_checking_imports() == ma._LAZY
    assert set(ma._LAZY) <= set(ma.__all__) <= set(dir(ma))


def test_py_typed_marks_the_package_as_typed():
    assert (ROOT / "src/migration_analysis/py.typed").is_file()


PUBLIC_FUNCTIONS = sorted(n for n in ma.__all__ if inspect.isfunction(getattr(ma, n)))


def test_the_public_functions_are_found():
    assert len(PUBLIC_FUNCTIONS) > 40 and {"load_events", "plot_timeline", "save_figure"} <= set(PUBLIC_FUNCTIONS)


@pytest.mark.parametrize("name", PUBLIC_FUNCTIONS)
def test_every_public_function_has_a_return_annotation(name):
    signature = inspect.signature(getattr(ma, name))
    assert signature.return_annotation is not inspect.Signature.empty, f"{name} has no return annotation"


LOADERS = sorted(n for n in ma.__all__ if n.startswith("load_") and n[len("load_"):] in schema.table_names())


def test_every_table_has_a_loader():
    assert {n[len("load_"):] for n in LOADERS} == set(schema.table_names())


@pytest.mark.parametrize("name", LOADERS)
def test_loader_docstring_lists_every_column(name):
    doc = getattr(ma, name).__doc__
    listed = [line.split("``")[1] for line in doc.splitlines() if line.strip().startswith("- ``")]
    assert listed == [c.name for c in schema.processed_table(name[len("load_"):]).columns]
    assert f">>> frame = ma.{name}()" in doc


@pytest.mark.parametrize("name, line", [
    # Written out by hand: what a reader of the docstring must see for these columns.
    ("load_account_bans", "- ``date`` (datetime64): Calendar date at the actor (US companies: US time). "
                          "Month-only facts use the 1st."),
    ("load_user_surges", "- ``value`` (Float64): The figure, in plain units (25 million is 25000000)."),
    ("load_platforms", "- ``founded`` (Int64, may be empty): Year founded or launched, where sourced."),
    ("load_account_bans", "- ``action`` (category): What the platform did."),
])
def test_loader_docstring_gives_each_columns_type_and_meaning(name, line):
    assert " ".join(line.split()) in " ".join(getattr(ma, name).__doc__.split())


def test_loader_docstring_examples_run():
    results = doctest.testmod(load, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert results.attempted >= 4 * len(LOADERS) and results.failed == 0


def test_the_version_is_defined_once():
    assert "version" not in PYPROJECT["project"] and PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/migration_analysis/__init__.py"
    found = re.findall(r'^__version__ = "([^"]+)"$', (ROOT / "src/migration_analysis/__init__.py").read_text(), re.M)
    assert found == [ma.__version__]
    cff = re.search(r"^version: (\S+)$", (ROOT / "CITATION.cff").read_text(encoding="utf-8"), re.M)
    assert cff and cff.group(1) == ma.__version__, "CITATION.cff states another version"


def test_classifiers_are_known_to_the_index():
    from trove_classifiers import classifiers

    declared = PYPROJECT["project"]["classifiers"]
    assert declared and set(declared) <= classifiers
    assert "Typing :: Typed" in declared


def test_no_registry_host_or_download_url_in_the_lock():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "://" not in lock and "--index-url" not in lock and "--extra-index-url" not in lock
    pins = [line.split()[0] for line in lock.splitlines() if line and not line.startswith(("#", " ", "\t"))]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+!\-]+", p) for p in pins), pins


def test_changelog_follows_keep_a_changelog():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "[Keep a Changelog]" in text
    releases = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.M)
    assert releases[0] == ("Unreleased", "") and ("0.1.0", "2026-11-22") in releases
    assert not re.findall(r"^## (?!\[)", text, re.M), "every release heading is [VERSION] - DATE"
    sections = set(re.findall(r"^### (.+)$", text, re.M))
    assert sections <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, sections
    # The newest release (the first heading after Unreleased) lists its changes by kind, data corrections by id.
    latest = text.split("## [Unreleased]")[1].split("\n## [")[1].split("\n## [")[0]
    assert re.findall(r"^### (.+)$", latest, re.M) == ["Added", "Changed", "Removed", "Fixed"]
    corrections = latest.split("#### Data corrections")[1]
    assert re.search(r"\b(ban|store|surge|ctx|cite)-\d{4}\b", corrections), "data corrections name their ids"


def test_the_lock_installs_every_dependency_it_needs():
    # make setup installs requirements.lock with --no-deps: a package missing from the lock breaks a fresh machine.
    check = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
