"""Dumps read exactly as given, on both engines: literal file names, one timestamp grammar, a date window,
and errors that name the file, the line, the value and the user's own column name."""

from __future__ import annotations

import pandas as pd
import pytest
import test_activity

from conftest import run_cli
from migration_analysis.activity import ActivitySourceError, cohort_retention, daily_activity

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


# --- one timestamp grammar, the same on both engines (docs/activity.md) ---------------------------

ACCEPTED = {
    "2021-01-09T11:00:00Z": "2021-01-09",
    "2021-01-09 11:00:00": "2021-01-09",  # no zone: UTC
    "2021-01-09T11:00": "2021-01-09",
    "2021-01-09": "2021-01-09",
    "2021-01-09T23:59:59.123456789Z": "2021-01-09",
    "2021-01-09T23:30:00.5-05:00": "2021-01-10",
    "2021-01-09T02:00:00+0530": "2021-01-08",
    "2021-01-09T02:00:00+05": "2021-01-08",
    "2021-01-09T02:00+05:30": "2021-01-08",
    "2021-01-09T23:00Z": "2021-01-09",
    "1610190000": "2021-01-09",  # epoch seconds
    "1610190000.25": "2021-01-09",
    "1610190000123": "2021-01-09",  # epoch milliseconds
    "2020-02-29T12:00:00Z": "2020-02-29",
}
REJECTED = ["2021/01/09 11:00", "20210109", "99999999999", "2021-1-9", "2021-01-09T11:00:00 UTC", "2021-02-30",
            "2021-01-09t11:00:00z", "2021-01-09T24:00:00", " 2021-01-09", "2021-01-09T11:00:60", "09/01/2021",
            "2021-01-09T11:00:00+25:00", "-1610190000", "1610190000123456", "1e9", "Jan 9 2021", "2021-13-01"]


def one_post(folder, stamp: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "one.csv"
    pd.DataFrame({"time": [stamp], "who": ["x"]}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("stamp", ACCEPTED)
def test_accepted_forms_give_the_same_day_on_both_engines(engine, tmp_path, stamp):
    got = daily_activity(one_post(tmp_path, stamp), timestamp="time", user="who", engine=engine)
    assert got["date"].tolist() == [pd.Timestamp(ACCEPTED[stamp])]


@pytest.mark.parametrize("stamp", REJECTED)
def test_rejected_forms_are_an_error_on_both_engines(engine, tmp_path, stamp):
    path = one_post(tmp_path, stamp)
    with pytest.raises(ActivitySourceError) as info:
        daily_activity(path, timestamp="time", user="who", engine=engine)
    message = str(info.value)
    assert message.startswith(f"{path}:2: column 'time': ") and f"(value {stamp!r})" in message
    assert "\n" not in message


def test_epoch_values_out_of_range_say_why(engine, tmp_path):
    with pytest.raises(ActivitySourceError, match=r"one.csv:2: column 'time': epoch value outside .*YYYYMMDD.*'20210109'"):
        daily_activity(one_post(tmp_path, "20210109"), timestamp="time", user="who", engine=engine)
    with pytest.raises(ActivitySourceError, match=r"epoch value outside .*'99999999999'"):
        daily_activity(one_post(tmp_path, "99999999999"), timestamp="time", user="who", engine=engine, any_date=True)


@pytest.mark.parametrize("stamp", ["1999-12-31T23:00:00Z", "1970-08-22", "2200-01-01T00:00:00Z", "946684799",
                                   f"{pd.Timestamp.now().year + 2}-01-01"])
def test_dates_outside_the_window_are_an_error(engine, tmp_path, stamp):
    path = one_post(tmp_path, stamp)
    last = f"{pd.Timestamp.now().year + 1}-12-31"
    with pytest.raises(ActivitySourceError) as info:
        daily_activity(path, timestamp="time", user="who", engine=engine)
    assert str(info.value).startswith(f"{path}:2: column 'time': ")
    assert f"outside the accepted dates 2000-01-01 to {last}" in str(info.value) and repr(stamp) in str(info.value)
    got = daily_activity(path, timestamp="time", user="who", engine=engine, any_date=True)
    assert len(got) == 1


def test_since_and_until_set_the_window(engine, tmp_path):
    path = posts(tmp_path, "a.csv", "2021-01-08T10:00:00Z", "2021-01-09T10:00:00Z")
    got = daily_activity(path, timestamp="t", user="u", engine=engine, since="2021-01-08", until="2021-01-09")
    assert len(got) == 2
    with pytest.raises(ActivitySourceError, match=r"a.csv:2: column 't': 2021-01-08 is outside .* 2021-01-09 to "):
        daily_activity(path, timestamp="t", user="u", engine=engine, since="2021-01-09")
    with pytest.raises(ActivitySourceError, match=r"a.csv:3: .*2021-01-09 is outside the accepted dates .* to 2021-01-08"):
        cohort_retention(path, timestamp="t", user="u", cohort_start="2021-01-08", cohort_end="2021-01-08",
                         engine=engine, until="2021-01-08")


def test_typed_columns_keep_to_the_window_and_the_epoch_range(engine, tmp_path):
    pd.DataFrame({"t": pd.to_datetime(["2021-01-09", "1969-07-20"]), "u": ["a", "b"]}).to_parquet(tmp_path / "a.parquet")
    with pytest.raises(ActivitySourceError, match=r"a.parquet: column 't': 1969-07-20 is outside the accepted dates"):
        daily_activity(tmp_path / "a.parquet", timestamp="t", user="u", engine=engine)
    (tmp_path / "b.ndjson").write_text('{"t": 1610190000, "u": "a"}\n{"t": 20210109, "u": "b"}\n')
    with pytest.raises(ActivitySourceError, match=r"b.ndjson:2: column 't': epoch value outside .*'20210109'"):
        daily_activity(tmp_path / "b.ndjson", timestamp="t", user="u", engine=engine)


def test_cli_window_flags(tmp_path):
    path = posts(tmp_path, "a.csv", "1995-01-08T10:00:00Z")
    out = tmp_path / "daily.csv"
    refused = run_cli("activity", str(path), "--timestamp", "t", "--user", "u", "--out", str(out))
    assert refused.returncode == 1 and len(refused.stderr.splitlines()) == 1
    assert "1995-01-08 is outside the accepted dates" in refused.stderr and not out.exists()
    for flags in (["--any-date"], ["--since", "1990-01-01"]):
        result = run_cli("activity", str(path), "--timestamp", "t", "--user", "u", *flags, "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_text().splitlines()[1] == "1995-01-08,1,1,1"


# --- malformed files: the same one-line error from both engines -----------------------------------

MALFORMED = {
    "extra-field.csv": (b"t,u\n2021-01-09T10:00:00Z,a\n2021-01-09T11:00:00Z,b,extra\n", 3,
                        "a record of 3 fields under a header of 2"),
    "short-row.csv": (b't,u\n"2021-01-09T10:00:00Z","a\nb"\n2021-01-09T11:00:00Z\n', 4,
                      "a record of 1 field under a header of 2"),
    "latin1.csv": (b"t,u,note\n2021-01-09T10:00:00Z,a,ok\n2021-01-09T11:00:00Z,b,caf\xe9\n", 3, "not UTF-8 text (byte 0xe9)"),
    "latin1.ndjson": (b'{"t": "2021-01-09T10:00:00Z", "u": "a"}\n{"t": "2021-01-09T11:00:00Z", "u": "\xff"}\n', 2,
                      "not UTF-8 text (byte 0xff)"),
    "broken.ndjson": (b'{"t": "2021-01-09T10:00:00Z", "u": "a"}\n{"t": "2021-01-09T11:00:00Z", "u": \n', 2,
                      "not a JSON object"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_files_are_one_error_naming_file_and_line(engine, tmp_path, name):
    content, line, what = MALFORMED[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ActivitySourceError) as info:
        daily_activity(path, timestamp="t", user="u", engine=engine)
    assert str(info.value) == f"{path}:{line}: {what}"


def test_a_spark_failure_is_one_line_not_a_java_stack(spark, tmp_path):
    path = tmp_path / "a.parquet"
    pd.DataFrame({"t": ["2021-01-09T10:00:00Z"], "u": ["a"]}).to_parquet(path)
    path.write_bytes(path.read_bytes()[:40] + b"garbage" * 10 + path.read_bytes()[-40:])
    for engine in ("duckdb", "spark"):
        with pytest.raises(ActivitySourceError) as info:
            daily_activity(path, timestamp="t", user="u", engine=engine)
        message = str(info.value)
        assert message.startswith(str(path)) and "\n" not in message, message
        assert "py4j" not in message.lower() and "at org." not in message


def test_errors_name_the_users_column_on_both_engines(engine, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Posted At,Account Name\n2021-01-09T10:00:00Z,a\n2021-01-09T11:00:00Z,\n")
    with pytest.raises(ActivitySourceError, match=r"a.csv:3: column 'Account Name': a post has no user"):
        daily_activity(path, timestamp="Posted At", user="Account Name", engine=engine)
    path.write_text("Posted At,Account Name\n2021-01-09T10:00:00Z,a\nyesterday,b\n")
    with pytest.raises(ActivitySourceError, match=r"a.csv:3: column 'Posted At': not an ISO-8601 .*'yesterday'"):
        daily_activity(path, timestamp="Posted At", user="Account Name", engine=engine)


# --- DuckDB's fast path for the common shapes: only values of the grammar, the same days -------------------


def test_the_fast_path_agrees_with_the_general_parse_near_its_shapes():
    """Every one-character change (and pairs of common ones) of the two fast shapes gives, through the whole
    expression, what the grammar's regular expression and DuckDB's cast give: the same day or none."""
    import itertools

    import duckdb

    from migration_analysis.activity import sql

    values = set()
    for base in ("2021-01-09T11:00:00Z", "2020-02-29T23:59:59Z", "2021-01-09 11:00:00Z", "2021-01-09T11:00:00.123Z"):
        for i in range(len(base) + 1):
            for c in [*"0129-:T Z+.\t/a", "", "00", " 1"]:
                values |= {base[:i] + c + base[i + 1:], base[:i] + c + base[i:]}  # replaced or deleted; inserted
        for i, j in itertools.combinations(range(len(base)), 2):
            for a, b in itertools.product("0- :", repeat=2):
                values.add(base[:i] + a + base[i + 1:j] + b + base[j + 1:])
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE v AS SELECT unnest(?) AS ts", [sorted(values)])
    general = f"CASE WHEN regexp_full_match(ts, '{sql.ISO_PATTERN}') THEN CAST(TRY_CAST(ts AS TIMESTAMPTZ) AS DATE) END"
    day = sql.DAY_EXPRESSIONS["duckdb"]["string"].format(col="ts")
    fast = sql._FAST.format(col="ts")
    rows = con.execute(f"SELECT ts, DATE '1970-01-01' + CAST({day} AS INTEGER), {general}, {fast} FROM v").fetchall()
    # Over 12,000 values, of which about 300 are in the grammar and about 200 take the fast path.
    assert len(rows) > 12_000 and sum(r[2] is not None for r in rows) > 250 and sum(r[3] is not None for r in rows) > 150
    assert [(ts, got, expected) for ts, got, expected, _ in rows if got != expected] == []


def test_daily_query_counts_by_hand(engine):
    """The query on a view of six user-days: posts, distinct users, first days; a post without a user is counted
    as missing and one without a day (NULL) stays in a row of its own."""
    from migration_analysis.activity.sql import daily_query

    rows = [("a", 5, "g"), ("a", 5, "g"), ("a", 6, "g"), ("b", 6, "g"), (None, 6, "g"), ("c", None, "h"), ("c", 7, "h")]
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute("CREATE TABLE activity_days (u VARCHAR, d BIGINT, p VARCHAR)")
        con.executemany("INSERT INTO activity_days VALUES (?, ?, ?)", rows)
        run = lambda sql: [tuple(r) for r in con.execute(sql).fetchall()]  # noqa: E731
    else:
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession()
        spark.createDataFrame(rows, "u STRING, d BIGINT, p STRING").createOrReplaceTempView("activity_days")
        run = lambda sql: [tuple(r) for r in spark.sql(sql).collect()]  # noqa: E731
    # (day, posts, active users, new users, posts without a user): a first posts on day 5, b on 6, c on 7.
    assert sorted(run(daily_query(False, engine)), key=str) == [
        (5, 2, 1, 1, 0), (6, 3, 2, 1, 1), (7, 1, 1, 1, 0), (None, 1, 1, 0, 0)]
    assert sorted(run(daily_query(True, engine)), key=str) == [
        (5, "g", 2, 1, 1, 0), (6, "g", 3, 2, 1, 1), (7, "h", 1, 1, 1, 0), (None, "h", 1, 1, 0, 0)]


def test_duckdb_keeps_to_a_default_memory_limit(tmp_path):
    import duckdb

    from migration_analysis.activity.engines import DEFAULT_MEMORY_LIMIT, duckdb_engine
    from migration_analysis.activity.sources import resolve_source

    source = resolve_source(posts(tmp_path, "a.csv", "2021-01-09T10:00:00Z"), {"ts": "t", "u": "u"})
    reference = duckdb.connect()
    for given, expected in ((None, DEFAULT_MEMORY_LIMIT), ("1GB", "1GB")):
        reference.execute(f"SET memory_limit = '{expected}'")
        with duckdb_engine(source, memory_limit=given) as run:
            assert run("SELECT current_setting('memory_limit')") == reference.execute(
                "SELECT current_setting('memory_limit')").fetchall()


# --- the UTF-8 check reads in blocks: a character across two blocks is still one character ----------------


def test_utf8_check_across_its_blocks(tmp_path):
    from migration_analysis.activity.sources import check_utf8

    block = 1 << 24
    head = b"t,u\n"
    filler = b"2021-01-09T10:00:00Z,a\n" * ((block - len(head)) // 23)
    pad = b"x" * (block - len(head) - len(filler) - 1)  # 'é' (2 bytes) then starts at the block's last byte
    good = tmp_path / "good.csv"
    good.write_bytes(head + filler + pad + "é,b\n".encode() + b"2021-01-09T11:00:00Z,c\n")
    check_utf8(good, "csv")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(head + filler + b"2021-01-09T11:00:00Z,\xff\n")  # an ASCII block, then a byte that is not UTF-8
    with pytest.raises(ActivitySourceError) as info:
        check_utf8(bad, "csv")
    assert str(info.value) == f"{bad}:{2 + len(filler) // 23}: not UTF-8 text (byte 0xff)"


# --- without the extras: one line that says what to install --------------------------------------------


@pytest.mark.parametrize(("blocked", "args", "extra"), [
    ("duckdb", [], "activity"), ("pyspark", ["--engine", "spark"], "spark")])
def test_a_missing_extra_is_one_line_naming_it(tmp_path, blocked, args, extra):
    import subprocess
    import sys

    path = posts(tmp_path, "a.csv", "2021-01-09T10:00:00Z")
    code = (f"import sys; sys.modules[{blocked!r}] = None\n"
            "from migration_analysis.cli import main\n"
            "from migration_analysis.activity import daily_activity\n"
            "try:\n"
            f"    daily_activity({str(path)!r}, timestamp='t', user='u', engine={args[-1] if args else 'duckdb'!r})\n"
            "except ImportError as exc:\n"
            "    print(exc)\n"
            f"sys.exit(main(['activity', {str(path)!r}, '--timestamp', 't', '--user', 'u', *{args!r}, "
            f"'--out', {str(tmp_path / 'out.csv')!r}]))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    line = f"{blocked} is not installed"
    install = f"pip install 'migration-analysis[{extra}]'"
    assert result.stdout.startswith(line) and result.stdout.rstrip().endswith(install) and result.stdout.count("\n") == 1
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"migration-analysis activity: {line}") and install in result.stderr
    assert not (tmp_path / "out.csv").exists()
