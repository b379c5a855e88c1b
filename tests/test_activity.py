"""Message-level dumps to daily measures: DuckDB, Spark and a plain pandas reference give the same answers.

The logs are generated here with the edge cases a real dump has: zones that move a post across
midnight, naive and epoch (s and ms) timestamps, duplicate posts, a user whose first post is on the
last day, empty files, and bad timestamps. The Spark tests share one small local session.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import run_cli
from migration_analysis.activity import ActivitySourceError, cohort_retention, daily_activity, synthetic_log
from migration_analysis.activity.measures import EmptyDumpWarning

ENGINES = ["duckdb", "spark"]
# pyspark's note about pandas 3 (the library hands no pandas object to Spark).
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("migration-analysis-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2").config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", "1g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(params=ENGINES)
def engine(request):
    if request.param == "spark":
        request.getfixturevalue("spark")
    return request.param


# --- a log with the edge cases, and the pandas code a user would write ----------------------------


def edge_rows(seed: int = 7, n: int = 400) -> pd.DataFrame:
    """Posts over 2021-01-05 … 2021-01-12 in mixed timestamp styles, two platforms, with duplicates."""
    rng = np.random.default_rng(seed)
    seconds = pd.Timestamp("2021-01-05").value // 10**9 + rng.integers(0, 8 * 86400, n)
    style = rng.integers(0, 5, n)
    text = []
    for s, k in zip(seconds, style):
        t = pd.Timestamp(int(s), unit="s")
        if k == 0:
            text.append(t.strftime("%Y-%m-%dT%H:%M:%SZ"))
        elif k == 1:  # New York time: late evening there is the next day in UTC
            text.append((t - pd.Timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S-05:00"))
        elif k == 2:  # no zone: UTC
            text.append(t.strftime("%Y-%m-%d %H:%M:%S"))
        elif k == 3:
            text.append(str(int(s)))
        else:
            text.append(str(int(s) * 1000 + 123))
    rows = pd.DataFrame({"created_at": text, "user": [f"u{i}" for i in rng.integers(0, 60, n)],
                         "platform": rng.choice(["gab", "parler"], n)})
    special = pd.DataFrame({
        "created_at": ["2021-01-06T23:30:00-05:00", "2021-01-07T00:30:00+01:00", "2021-01-12T23:59:59Z",
                       "2021-01-12T23:59:59Z", "2021-01-06T19:00:00.250-05:00"],
        "user": ["night-owl", "night-owl", "latecomer", "latecomer", "u1"],
        "platform": ["gab", "gab", "parler", "parler", "gab"],
    })
    return pd.concat([rows, special, rows.iloc[:25]], ignore_index=True)  # rows.iloc[:25]: duplicate posts


def reference_daily(rows: pd.DataFrame, platform: bool = False) -> pd.DataFrame:
    """The pandas answer: parse each style, UTC days, groupby, nunique, first-seen."""
    day = utc_days(rows)
    keys = ["platform"] if platform else []
    frame = rows.assign(date=day.to_numpy())
    daily = frame.groupby(["date", *keys]).agg(posts=("user", "size"), active_users=("user", "nunique"))
    first = frame.groupby([*keys, "user"])["date"].min().reset_index()
    new = first.groupby(["date", *keys]).size().rename("new_users")
    out = daily.join(new).fillna({"new_users": 0}).astype("int64").reset_index()
    out["date"] = out["date"].astype("datetime64[us]")
    return out[["date", *keys, "posts", "active_users", "new_users"]]


def reference_retention(rows: pd.DataFrame, start: str, end: str, periods: int, length: int = 7) -> list[int]:
    days = utc_days(rows)
    frame = rows.assign(date=days.to_numpy())
    first = frame.groupby("user")["date"].min()
    cohort = first[(first >= start) & (first <= end)].index
    offset = (frame["date"] - pd.Timestamp(end)).dt.days
    later = frame[frame["user"].isin(cohort) & (offset >= 1)]
    period = (offset[later.index] - 1) // length + 1
    counts = later.assign(period=period).groupby("period")["user"].nunique()
    return [len(cohort)] + [int(counts.get(k, 0)) for k in range(1, periods + 1)]


def utc_days(rows: pd.DataFrame) -> pd.Series:
    """Each post's UTC calendar day: plain numbers are epoch seconds (milliseconds from 1e11), else ISO 8601."""
    text = rows["created_at"].astype(str)
    number = pd.to_numeric(text.where(text.str.fullmatch(r"-?\d+(\.\d*)?")), errors="coerce")
    epoch = pd.Series(pd.to_datetime(np.where(number.abs() >= 1e11, number / 1000, number), unit="s", utc=True),
                      index=rows.index)
    iso = pd.to_datetime(text.where(number.isna()), utc=True, format="ISO8601")
    return epoch.where(number.notna(), iso).dt.tz_localize(None).dt.floor("D")


def write_dump(rows: pd.DataFrame, folder: Path) -> Path:
    """The rows split over a CSV, a gzipped NDJSON, a Parquet file and two empty files."""
    folder.mkdir(parents=True, exist_ok=True)
    third = len(rows) // 3
    rows.iloc[:third].to_csv(folder / "part-1.csv", index=False)
    with gzip.open(folder / "part-2.ndjson.gz", "wt", encoding="utf-8") as f:
        for record in rows.iloc[third:2 * third].to_dict("records"):
            value = record["created_at"]
            record["created_at"] = int(value) if value.isdigit() else value  # JSON numbers, as dumps have them
            f.write(json.dumps(record) + "\n")
    rows.iloc[2 * third:].to_parquet(folder / "part-3.parquet", index=False)
    (folder / "empty.csv").write_text("")
    with gzip.open(folder / "empty.ndjson.gz", "wt"):
        pass
    return folder


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    rows = edge_rows()
    return write_dump(rows, tmp_path_factory.mktemp("dump")), rows


# --- the same answers -----------------------------------------------------------------------------


def test_reference_sees_the_edge_cases():
    ref = reference_daily(edge_rows())
    assert ref["date"].max() == pd.Timestamp("2021-01-12")
    assert ref.loc[ref["date"] == "2021-01-12", "new_users"].item() >= 1  # the latecomer


def test_daily_activity_matches_pandas(engine, dump):
    folder, rows = dump
    got = daily_activity(folder, timestamp="created_at", user="user", engine=engine)
    pd.testing.assert_frame_equal(got, reference_daily(rows))
    assert list(got.columns) == ["date", "posts", "active_users", "new_users"]


def test_daily_activity_per_platform_matches_pandas(engine, dump):
    folder, rows = dump
    got = daily_activity(str(folder / "part-*"), timestamp="created_at", user="user", platform="platform", engine=engine)
    pd.testing.assert_frame_equal(got, reference_daily(rows, platform=True))


def test_zones_crossing_midnight_and_duplicates(engine, tmp_path):
    path = tmp_path / "night.csv"
    pd.DataFrame({"t": ["2021-01-06T23:30:00-05:00", "2021-01-06T23:30:00-05:00", "2021-01-07T00:30:00+02:00", "1609977599"],
                  "u": ["a", "a", "b", "c"]}).to_csv(path, index=False)
    got = daily_activity(path, timestamp="t", user="u", engine=engine)
    # 23:30 in New York is 04:30 UTC the next day; 00:30 at +02:00 is 22:30 UTC the day before.
    assert got.to_dict("list") == {"date": [pd.Timestamp("2021-01-06"), pd.Timestamp("2021-01-07")],
                                   "posts": [2, 2], "active_users": [2, 1], "new_users": [2, 1]}


def test_cohort_retention_matches_pandas(engine, dump):
    folder, rows = dump
    got = cohort_retention(folder, timestamp="created_at", user="user", cohort_start="2021-01-05",
                           cohort_end="2021-01-06", every="day", periods=7, engine=engine)
    expected = reference_retention(rows, "2021-01-05", "2021-01-06", 7, length=1)
    assert [got["cohort_size"].iloc[0], *got["active_users"]] == expected
    assert got["period_start"].iloc[0] == pd.Timestamp("2021-01-07")
    # The dump ends on 12 January: period 7 (13 January) is not in it, so its share is missing, not 0.
    assert got["complete"].tolist() == [True] * 6 + [False]
    assert got["share"].notna().tolist() == [True] * 6 + [False]


def test_duckdb_and_a_dataframe_source_agree(dump):
    folder, rows = dump
    from_frame = daily_activity(rows, timestamp="created_at", user="user")
    pd.testing.assert_frame_equal(from_frame, daily_activity(folder, timestamp="created_at", user="user"))


def test_empty_dump_gives_an_empty_table(engine, tmp_path):
    (tmp_path / "a.csv").write_text("")
    (tmp_path / "b.csv").write_text("t,u\n")
    with pytest.warns(EmptyDumpWarning, match=f"^{tmp_path}: the dump holds no posts"):
        got = daily_activity(tmp_path, timestamp="t", user="u", engine=engine)
    assert got.empty and list(got.columns) == ["date", "posts", "active_users", "new_users"]
    a, b = str(tmp_path / "a.csv"), str(tmp_path / "b.csv")
    result = run_cli("activity", a, b, "--timestamp", "t", "--user", "u", "--out", str(tmp_path / "out.csv"))
    assert result.returncode == 1 and not (tmp_path / "out.csv").exists()
    assert result.stderr == (f"migration-analysis activity: {a}, {b}: the dump holds no posts "
                             "(every file is empty or has a header only)\n")


# --- errors: one line, the file and the value -----------------------------------------------------


def test_bad_timestamp_names_the_file_and_value(engine, tmp_path):
    good, bad = tmp_path / "a.csv", tmp_path / "b.ndjson"
    good.write_text("t,u\n2021-01-01T00:00:00Z,x\n")
    bad.write_text('{"t": "2021-01-01T01:00:00Z", "u": "y"}\n{"t": "last Tuesday", "u": "z"}\n')
    with pytest.raises(ActivitySourceError) as info:
        daily_activity([good, bad], timestamp="t", user="u", engine=engine)
    # FILE:LINE (the line of the NDJSON record), the user's column, what is wrong, the value.
    assert str(info.value) == (f"{bad}:2: column 't': not an ISO-8601 timestamp or epoch seconds/milliseconds "
                               "(value 'last Tuesday')")
    with pytest.raises(ActivitySourceError, match="last Tuesday"):
        cohort_retention([good, bad], timestamp="t", user="u", cohort_start="2021-01-01", cohort_end="2021-01-01",
                         engine=engine)


def test_missing_column_and_missing_user(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("time,u\n2021-01-01,x\n")
    with pytest.raises(ActivitySourceError, match=r"a.csv: no column 't' \(it has: time, u\)"):
        daily_activity(path, timestamp="t", user="u")
    path.write_text("t,u\n2021-01-01,x\n2021-01-02,\n")
    with pytest.raises(ActivitySourceError, match="a.csv:3: column 'u': a post has no user"):
        daily_activity(path, timestamp="t", user="u")
    with pytest.raises(ActivitySourceError, match="no file matches"):
        daily_activity(str(tmp_path / "*.parquet"), timestamp="t", user="u")


# --- the CLI and the synthetic log ----------------------------------------------------------------


def test_cli_writes_the_daily_csv_and_fails_in_one_line(dump, tmp_path):
    folder, rows = dump
    out = tmp_path / "daily.csv"
    result = run_cli("activity", str(folder), "--timestamp", "created_at", "--user", "user", "--memory-limit", "500MB",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.splitlines()[0] == "date,posts,active_users,new_users"
    expected = reference_daily(rows).to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    assert text == expected
    retention = run_cli("activity", str(folder), "--timestamp", "created_at", "--user", "user", "--retention",
                        "2021-01-05", "2021-01-06", "--every", "day", "--periods", "3", "--out", str(tmp_path / "r.csv"))
    assert retention.returncode == 0, retention.stderr
    assert (tmp_path / "r.csv").read_text().startswith("period,period_start,period_end,complete,cohort_size")
    failed = run_cli("activity", str(folder), "--timestamp", "time", "--user", "user", "--out", str(out))
    assert failed.returncode == 1 and len(failed.stderr.splitlines()) == 1
    assert failed.stderr.startswith("migration-analysis activity: ") and "no column 'time'" in failed.stderr


def test_cli_activity_help():
    result = run_cli("activity", "--help")
    assert result.returncode == 0 and "--memory-limit" in result.stdout and "--retention" in result.stdout


def test_synthetic_log_is_seeded_and_labelled():
    one, two = synthetic_log(5_000, 500, seed=3), synthetic_log(5_000, 500, seed=3)
    pd.testing.assert_frame_equal(one, two)
    assert one["synthetic"].all() and one["created_at"].is_monotonic_increasing
    daily = daily_activity(one, timestamp="created_at", user="user_id")
    peak = daily.loc[daily["new_users"].idxmax(), "date"]
    assert pd.Timestamp("2021-01-09") <= peak <= pd.Timestamp("2021-01-13")
    assert daily["posts"].sum() == 5_000
