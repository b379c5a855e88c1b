"""The package imports lightly and works from an installed wheel, outside the checkout."""

import csv
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_import_does_not_load_plotting_libraries_or_engines():
    code = ("import sys, migration_analysis; "
            "print(sorted(m for m in ('matplotlib', 'seaborn', 'duckdb', 'pyspark') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_wheel_ships_the_processed_data_and_loads_it(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("migration_analysis-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "migration_analysis/data/processed/events.csv" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)  # a wheel is a zip laid out as site-packages
    code = ("import migration_analysis as ma; b = ma.load_account_bans(); "
            "print(ma.default_data_dir().parent.parent.parent == __import__('pathlib').Path(r'%s'), len(b))" % target)
    result = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, r'{target}'); {code}"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    inside, rows = result.stdout.split()
    with open(ROOT / "data/processed/account_bans.csv", newline="", encoding="utf-8") as f:
        expected_rows = sum(1 for _ in csv.reader(f)) - 1
    assert inside == "True" and int(rows) == expected_rows
