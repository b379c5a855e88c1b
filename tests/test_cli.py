"""The console script as a user runs it: exit codes, one line per problem, no tracebacks."""

import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, run_cli


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


COMMANDS = ["validate", "build", "figures", "report", "activity", "next-id"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert f"usage: migration-analysis {command}" in result.stdout
    assert "TODO" not in result.stdout


def test_top_level_help_lists_subcommands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_no_help_text_describes_the_dataset_as_january_2021_alone():
    """Every help text (the command's and each subcommand's) describes the data as it is: the waves of waves.csv."""
    helps = [run_cli("--help").stdout] + [run_cli(command, "--help").stdout for command in COMMANDS]
    assert all(helps)
    for text in helps:
        flat = " ".join(text.split())
        assert not re.search(r"January 2021[\w -]*dataset", flat, re.I), flat
    waves = pd.read_csv(ROOT / "data" / "raw" / "waves.csv", parse_dates=["start", "end"])
    years = f"{waves['start'].min().year}–{waves['end'].max().year}"
    top = " ".join(helps[0].split())
    assert f"migration waves of {years}" in top
    for what in ("account bans", "app-store", "user surges", "context events"):
        assert what in top


# --- next-id: the id a new row gets (#21) -------------------------------------------------------------------

def _rename_ids(raw, renames: dict[str, str]) -> None:
    """Renumber rows in every raw file of the folder (ids and the references to them), as a curator would."""
    for path in raw.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        for old, new in renames.items():
            text = re.sub(rf"\b{old}\b", new, text)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def ranged_repo(repo_copy):
    """The minimal valid dataset with ids in ranges, as the real data has them (still valid)."""
    _rename_ids(repo_copy / "data" / "raw", {"surge-0002": "surge-2001", "surge-0003": "surge-5000",
                                             "cite-0013": "cite-10137", "cite-0004": "cite-0099",
                                             "ban-0002": "ban-0999"})
    assert run_cli("validate", cwd=repo_copy).returncode == 0
    return repo_copy


@pytest.mark.parametrize("table, expected", [
    ("user_surges", "surge-5001"),      # above the highest range, not after surge-0001 or surge-2001
    ("citations", "cite-10138"),        # the padding of the highest id: five digits here, four in cite-0001
    ("citations.csv", "cite-10138"),    # the file name works too
    ("account_bans", "ban-1000"),       # the number grows a digit where it must
    ("context_events", "ctx-0002"),
    ("store_removals", "store-0002"),
])
def test_next_id_is_one_above_the_tables_highest(ranged_repo, table, expected):
    result = run_cli("next-id", table, cwd=ranged_repo / "data")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{expected}\n"


def test_next_id_skips_ids_taken_elsewhere_or_recorded_as_dropped(ranged_repo):
    raw = ranged_repo / "data" / "raw"
    # A dropped fact's id stays in the CHANGELOG; an id is unique across all tables.
    (ranged_repo / "CHANGELOG.md").write_text("- surge-5001 dropped: a double count of surge-5000.\n", encoding="utf-8")
    _rename_ids(raw, {"ctx-0001": "surge-5002"})
    assert run_cli("next-id", "user_surges", cwd=ranged_repo).stdout == "surge-5003\n"


def test_next_id_of_an_empty_table_starts_the_numbering(ranged_repo):
    path = ranged_repo / "data" / "raw" / "store_removals.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert run_cli("next-id", "store_removals", cwd=ranged_repo).stdout == "store-0001\n"


def test_next_id_reads_the_folder_given(valid_dir, tmp_path):
    result = run_cli("next-id", "user_surges", "--data", str(valid_dir), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "surge-0004\n")


@pytest.mark.parametrize("table, error", [
    ("platforms", "'platforms' has no numbered ids"),
    ("surges", "'surges' is not a table"),
])
def test_next_id_names_an_unknown_table_in_one_line(repo_copy, table, error):
    result = run_cli("next-id", table, cwd=repo_copy)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"migration-analysis next-id: {error}; name one of: account_bans, citations, "
                             "context_events, store_removals, user_surges\n")


def test_next_id_outside_a_checkout_says_to_pass_data(tmp_path):
    result = run_cli("next-id", "user_surges", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"migration-analysis next-id: no data/raw folder in {tmp_path.resolve()} or above; "
                             "run from the repository or pass --data\n")


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


def test_validate_names_a_symlink_loop_instead_of_crashing(valid_dir):
    (valid_dir / "platforms.csv").unlink()
    (valid_dir / "platforms.csv").symlink_to(valid_dir / "platforms.csv")  # a link to itself
    result = run_cli("validate", str(valid_dir))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "platforms.csv:1: cannot be read: Too many levels of symbolic links" in result.stderr


@pytest.mark.parametrize("out", ["data", "data/raw/figures", "notebooks", "notebooks/x"])
def test_figures_refuse_an_output_folder_in_the_data_or_the_notebooks(out):
    before = sorted(p.relative_to(ROOT) for p in (ROOT / "data").rglob("*"))
    result = run_cli("figures", "--out", out, "--quiet", cwd=ROOT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"--out {out} would write over" in result.stderr and "an input; choose a folder outside it" in result.stderr
    assert sorted(p.relative_to(ROOT) for p in (ROOT / "data").rglob("*")) == before
    assert not (ROOT / "notebooks" / "x").exists()
