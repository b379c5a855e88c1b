"""Dumps read exactly as given, on both engines: literal file names, one timestamp grammar, a date window,
and errors that name the file, the line, the value and the user's own column name."""

from __future__ import annotations

import pandas as pd
import pytest
import test_activity

from migration_analysis.activity import daily_activity

# The fixtures of test_activity: each test on both engines, with one small local Spark session.
engine, spark = test_activity.engine, test_activity.spark

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


def posts(folder, name: str, *stamps: str, header: str = "t,u") -> object:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(header + "\n" + "".join(f"{s},user{i}\n" for i, s in enumerate(stamps)))
    return path


# --- file names are names, not patterns -----------------------------------------------------------


def test_a_bracketed_file_name_is_read_as_itself(engine, tmp_path):
    posts(tmp_path, "part1.csv", "2021-01-09T10:00:00Z")
    posts(tmp_path, "part[1].csv", "2021-01-10T10:00:00Z", "2021-01-10T11:00:00Z")
    expected = {"date": [pd.Timestamp("2021-01-09"), pd.Timestamp("2021-01-10")], "posts": [1, 2]}
    for source in (tmp_path, [tmp_path / "part1.csv", tmp_path / "part[1].csv"], str(tmp_path / "part*.csv")):
        got = daily_activity(source, timestamp="t", user="u", engine=engine)
        assert got[["date", "posts"]].to_dict("list") == expected, source
    only = daily_activity(str(tmp_path / "part[1].csv"), timestamp="t", user="u", engine=engine)
    assert only["posts"].tolist() == [2]


@pytest.mark.parametrize("name", ["a*b.csv", "what?.csv", "x{1,2}.csv", "back\\slash.csv", "sp ace%20.csv"])
def test_names_with_pattern_characters_are_read_once(engine, tmp_path, name):
    for decoy in ("ab.csv", "a-b.csv", "whatX.csv", "x1.csv", "x2.csv", "backslash.csv", "sp ace .csv"):
        posts(tmp_path, decoy, "2021-01-08T10:00:00Z")  # what the name would match as a pattern
    path = posts(tmp_path, name, "2021-01-09T10:00:00Z")
    got = daily_activity(str(path), timestamp="t", user="u", engine=engine)
    assert got[["date", "posts"]].to_dict("list") == {"date": [pd.Timestamp("2021-01-09")], "posts": [1]}


def test_a_typed_pattern_is_still_a_pattern(engine, tmp_path):
    posts(tmp_path, "a-1.csv", "2021-01-09T10:00:00Z")
    posts(tmp_path, "a-2.csv", "2021-01-09T11:00:00Z")
    got = daily_activity(str(tmp_path / "a-?.csv"), timestamp="t", user="u", engine=engine)
    assert got["posts"].tolist() == [2]


def test_the_same_file_named_twice_is_read_once(engine, tmp_path):
    path = posts(tmp_path / "d", "a.csv", "2021-01-09T10:00:00Z")
    (tmp_path / "link.csv").symlink_to(path)
    got = daily_activity([tmp_path / "d", path, tmp_path / "link.csv"], timestamp="t", user="u", engine=engine)
    assert got["posts"].tolist() == [1]
