"""The console script as a user runs it: exit codes, one line per problem, no tracebacks."""

import subprocess
import sys

import pytest

from conftest import run_cli


def test_validate_ok(valid_dir):
    result = run_cli("validate", str(valid_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK: 8 files, 28 rows valid"


def test_validate_defaults_to_the_repository_raw_data(repo_copy):
    result = run_cli("validate", cwd=repo_copy / "data")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 8 files")


def test_validate_reports_each_problem_on_one_line(valid_dir):
    path = valid_dir / "account_bans.csv"
    path.write_text(path.read_text().replace("2021-01-08,day", "2021-01-08,daily").replace(",70000,", ",many,"))
    result = run_cli("validate", str(path), cwd=valid_dir)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "account_bans.csv:2: column 'date_precision': is not one of: day, month, year (value 'daily')",
        "account_bans.csv:3: column 'accounts_affected': is not a whole number of zero or more "
        "(digits only, no separators) (value 'many')",
        "2 problems found",
    ]


def test_validate_missing_path_says_it_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere" / "user_surges.csv"
    result = run_cli("validate", str(missing))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{missing}:1: does not exist", "1 problem found"]


def test_validate_missing_folder_says_it_does_not_exist(tmp_path):
    result = run_cli("validate", "my_data", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["my_data:1: does not exist", "1 problem found"]


def test_build_in_a_repository(repo_copy):
    result = run_cli("build", "--root", str(repo_copy))
    assert result.returncode == 0, result.stderr
    assert (repo_copy / "data/processed/events.csv").exists()
    assert "13 files" in result.stdout
    again = run_cli("build", cwd=repo_copy)
    assert "0 changed, 13 unchanged" in again.stdout


def test_build_refuses_invalid_data(repo_copy):
    raw = repo_copy / "data/raw/context_events.csv"
    raw.write_text(raw.read_text().replace("attack", "=attack"))
    result = run_cli("build", "--root", str(repo_copy))
    assert result.returncode == 1
    assert "context_events.csv:2: column 'event_type'" in result.stderr
    assert not (repo_copy / "data/processed").exists()


def test_build_outside_a_repository_says_so(tmp_path):
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("migration-analysis build: no data/raw folder")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "build", "figures", "report"])
def test_every_subcommand_has_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert f"usage: migration-analysis {command}" in result.stdout
    assert "TODO" not in result.stdout


def test_top_level_help_lists_subcommands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("validate", "build", "figures", "report"):
        assert command in result.stdout


def test_version_is_the_package_version_both_ways():
    from migration_analysis import __version__

    script = run_cli("--version")
    module = subprocess.run([sys.executable, "-m", "migration_analysis", "--version"], capture_output=True, text=True)
    assert script.returncode == 0 and module.returncode == 0, module.stderr
    assert script.stdout == module.stdout == f"migration-analysis {__version__}\n"


def test_python_dash_m_runs_the_same_command(valid_dir):
    result = subprocess.run([sys.executable, "-m", "migration_analysis", "validate", str(valid_dir)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 8 files")


@pytest.mark.parametrize("command, hint", [("validate", "name the CSV files or folders to check"),
                                           ("report", "pass --notebooks")])
def test_outside_a_checkout_the_hint_names_an_option_that_exists(command, hint, tmp_path):
    result = run_cli(command, *(["--out", str(tmp_path / "out")] if command == "report" else []), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"migration-analysis {command}: no data/raw folder in {tmp_path.resolve()} or above; "
                             f"run from the repository or {hint}\n")


def test_report_without_the_report_extra_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['nbformat'] = None; from migration_analysis.cli import main; "
            f"sys.exit(main(['report', '--out', {str(tmp_path / 'out')!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("migration-analysis report: needs nbformat, nbclient, nbconvert, ipykernel "
                                    "(missing: nbformat")
    assert "pip install 'migration-analysis[report]'" in result.stderr
    assert not (tmp_path / "out").exists()
