"""`activity --out`: written whole or not at all, never over an input, and safe to open in a spreadsheet."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli
from migration_analysis.activity import synthetic_log
from migration_analysis.activity.output import write_csv

ARGS = ("--timestamp", "t", "--user", "u")


def small_dump(folder: Path, name: str = "dump.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("t,u,p\n2021-01-09T10:00:00Z,a,gab\n2021-01-09T11:00:00Z,b,gab\n2021-01-10T09:00:00Z,a,gab\n")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- an output never replaces an input ------------------------------------------------------------


def test_out_equal_to_the_input_is_refused_before_anything_is_written(tmp_path):
    dump = small_dump(tmp_path)
    before = dump.read_bytes()
    result = run_cli("activity", str(dump), *ARGS, "--out", str(dump))
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "is the input" in result.stderr
    assert dump.read_bytes() == before and leftovers(tmp_path) == []


@pytest.mark.parametrize("how", ["relative", "dotted", "symlink", "hardlink", "inside-folder", "pattern"])
def test_out_that_is_an_input_by_another_name_is_refused(tmp_path, how):
    dump = small_dump(tmp_path / "dump")
    before = dump.read_bytes()
    source, out = str(dump), str(dump)
    if how == "relative":
        source, out = "dump/dump.csv", str(dump)
    elif how == "dotted":
        out = str(tmp_path / "dump" / ".." / "dump" / "dump.csv")
    elif how == "symlink":
        (tmp_path / "link.csv").symlink_to(dump)
        out = str(tmp_path / "link.csv")
    elif how == "hardlink":
        os.link(dump, tmp_path / "hard.csv")
        out = str(tmp_path / "hard.csv")
    elif how == "inside-folder":
        source, out = str(tmp_path / "dump"), str(tmp_path / "dump" / "daily.csv")
    else:  # the output would be read by the same pattern on the next run
        source, out = str(tmp_path / "dump" / "*.csv"), str(tmp_path / "dump" / "daily.csv")
    result = run_cli("activity", source, *ARGS, "--out", out, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("migration-analysis activity: --out")
    assert dump.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "dump").iterdir()) == ["dump.csv"]


def test_out_beside_the_input_is_fine(tmp_path):
    dump = small_dump(tmp_path)
    result = run_cli("activity", str(dump), *ARGS, "--out", str(tmp_path / "daily.csv"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "daily.csv").read_text() == "date,posts,active_users,new_users\n2021-01-09,2,2,2\n2021-01-10,1,1,0\n"


# --- whole or not at all --------------------------------------------------------------------------


def test_a_failed_run_leaves_the_old_output_and_no_temporary_file(tmp_path):
    dump = small_dump(tmp_path / "in")
    dump.write_text(dump.read_text() + "last Tuesday,c,gab\n")
    out = tmp_path / "out" / "daily.csv"
    out.parent.mkdir()
    out.write_text("old\n")
    result = run_cli("activity", str(dump), *ARGS, "--out", str(out))
    assert result.returncode == 1 and "last Tuesday" in result.stderr
    assert out.read_text() == "old\n" and leftovers(out.parent) == []


def test_an_error_while_writing_removes_the_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "daily.csv"
    out.write_text("old\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_csv(pd.DataFrame({"date": [pd.Timestamp("2021-01-09")], "posts": [1]}), out)
    assert out.read_text() == "old\n" and leftovers(tmp_path) == []


def test_the_written_file_has_the_usual_permissions(tmp_path):
    write_csv(pd.DataFrame({"posts": [1]}), tmp_path / "daily.csv")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "daily.csv").stat().st_mode & 0o777 == 0o666 & ~umask


KILLER = """
import sys
import pandas as pd
from migration_analysis.activity.output import write_csv
frame = pd.DataFrame({"date": pd.date_range("2000-01-01", periods=2_000_000, freq="min"), "posts": 1})
print("ready", flush=True)
write_csv(frame, sys.argv[1])
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.0, 0.3, 0.8, 1.5, 3.0])
def test_a_killed_writer_leaves_the_old_file_or_the_whole_new_one(tmp_path, sig, delay):
    out = tmp_path / "daily.csv"
    out.write_text("old\n")
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(out)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    time.sleep(delay)
    proc.send_signal(sig)
    proc.wait()
    text = out.read_text()
    assert text == "old\n" or (text.startswith("date,posts\n2000-01-01,1\n") and text.count("\n") == 2_000_001)


def test_a_killed_command_leaves_the_old_output_or_the_whole_new_one(tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    synthetic_log(200_000, 5_000).to_csv(folder / "log.csv", index=False)
    out = tmp_path / "daily.csv"
    complete = run_cli("activity", str(folder), "--timestamp", "created_at", "--user", "user_id", "--out", str(out))
    assert complete.returncode == 0, complete.stderr
    whole = out.read_text()
    exe = Path(sys.executable).with_name("migration-analysis")
    for delay in (0.5, 1.0, 1.5, 2.0, 3.0):
        out.write_text("old\n")
        proc = subprocess.Popen([str(exe), "activity", str(folder), "--timestamp", "created_at", "--user", "user_id",
                                 "--out", str(out), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        assert out.read_text() in ("old\n", whole)
        assert leftovers(tmp_path) == []


# --- spreadsheet-safe cells -----------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "@SUM(A1:A9)", "+1", "-2", "\tTAB", "\rCR"]


def test_platform_cells_are_neutralised_in_the_csv(tmp_path):
    rows = ["t,u,p"] + [f'2021-01-09T10:00:00Z,a{i},"{name.replace(chr(34), chr(34) * 2)}"' for i, name in
                        enumerate([*FORMULAS, "gab"])]
    dump = tmp_path / "dump.csv"
    dump.write_text("\n".join(rows) + "\n")
    out = tmp_path / "daily.csv"
    result = run_cli("activity", str(dump), *ARGS, "--platform", "p", "--out", str(out))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert sorted(table["platform"]) == sorted(["'" + f for f in FORMULAS] + ["gab"])
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for column in table for cell in table[column])
    assert set(table["posts"]) == {"1"}


def test_numbers_are_not_touched():
    from migration_analysis.activity.output import spreadsheet_safe

    frame = pd.DataFrame({"change": [-2, 3], "share": [-0.5, 0.25], "platform": ["-2", "x"]})
    safe = spreadsheet_safe(frame)
    assert safe["change"].tolist() == [-2, 3] and safe["share"].tolist() == [-0.5, 0.25]
    assert safe["platform"].tolist() == ["'-2", "x"]
    assert frame["platform"].tolist() == ["-2", "x"]  # the caller's table is left as it was
