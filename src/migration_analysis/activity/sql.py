"""The SQL behind ``daily_activity`` and ``cohort_retention``: one query text for DuckDB and Spark SQL.

Each engine exposes the dump as a view ``activity_days(ts, u[, p], d)`` (timestamp, user, platform,
day number) and, for error messages only, ``activity_days_files`` with the file name ``f`` as well
(reading file names costs time on every row). The engines differ only in how a timestamp becomes a
UTC day number (days since 1970-01-01), so that expression is per dialect; everything after it is
shared and works on integers. The query first reduces the posts to one row per (platform, user, day), then
aggregates those: far less memory than a COUNT DISTINCT per day over every post.
"""

from __future__ import annotations

# The timestamp grammar (docs/activity.md), the same for both engines: a string must match one of these
# patterns whole, checked with the same regular expression on each (RE2 in DuckDB, Java's in Spark), before
# the engine's own parser sees it, so that neither engine's extra leniency (DuckDB takes 2021/01/09 and
# 24:00, Spark and DuckDB take 2021-1-9 and a trailing " UTC") leaks into the counts.
ISO_PATTERN = ("[0-9]{4}-[0-9]{2}-[0-9]{2}"
               "([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?")
EPOCH_PATTERN = "[0-9]+([.][0-9]+)?"
# Epoch seconds from 1e8 to below 1e10, milliseconds from 1e11 to below 1e13: both 1973-03-03 … 2286-11-20.
# Anything else is no plausible epoch value: 20210109 (a YYYYMMDD date) would be 1970-08-22 in seconds,
# 99999999999 the year 5138; 1e10 … 1e11 is 2286 … 5138 in seconds and 1970 … 1973 in milliseconds.
EPOCH_SECONDS = (10**8, 10**10)
EPOCH_MILLISECONDS = (10**11, 10**13)
_NUMBER_DAY = ("CAST(floor(CASE WHEN {x} >= 1e8 AND {x} < 1e10 THEN {x} / 86400 "
               "WHEN {x} >= 1e11 AND {x} < 1e13 THEN {x} / 86400000 END) AS BIGINT)")

_ISO, _EPOCH = (pattern.replace("{", "{{").replace("}", "}}") for pattern in (ISO_PATTERN, EPOCH_PATTERN))

# DuckDB's fast path: the two shapes most dumps write (``2021-01-09T11:00:00Z``, ``…:00.123Z``), parsed by
# strptime without the regular expression (which costs more than the parse). strptime alone is lenient (one-digit
# fields, spaces around the value), so a value takes this path only at the shape's exact length, starting with a
# digit and ending in Z: then every field has its full width and the value is in the grammar. Anything else, or
# a value strptime refuses, goes on to the general path, so the result and the errors are the same as with it.
FAST_SHAPES = (("%Y-%m-%dT%H:%M:%SZ", 20), ("%Y-%m-%dT%H:%M:%S.%gZ", 24))
_FAST = "CASE " + " ".join(
    f"WHEN length({{col}}) = {width} AND {{col}} >= '0' AND {{col}} < ':' AND ends_with({{col}}, 'Z') "
    f"THEN CAST(try_strptime({{col}}, '{shape}') AS DATE) - DATE '1970-01-01'" for shape, width in FAST_SHAPES) + " END"
# Through epoch_us and back: the day of a TIMESTAMPTZ without the time-zone library that CAST(… AS DATE) calls.
_DUCKDB_ISO_DAY = "CAST(make_timestamp(epoch_us(TRY_CAST({col} AS TIMESTAMPTZ))) AS DATE) - DATE '1970-01-01'"

# How each dialect turns a column of one kind into a UTC day number; NULL when the value is not in the grammar.
DAY_EXPRESSIONS = {
    "duckdb": {
        "number": _NUMBER_DAY.format(x="CAST({col} AS DOUBLE)"),
        "timestamp": "CAST(floor(epoch({col}) / 86400) AS BIGINT)",
        # The general path: the grammar's regular expression, then DuckDB's zone-aware cast (no offset: UTC,
        # the session's zone), or an epoch number.
        "string": (f"coalesce({_FAST}, CASE WHEN regexp_full_match({{col}}, '{_ISO}') THEN {_DUCKDB_ISO_DAY} "
                   f"WHEN regexp_full_match({{col}}, '{_EPOCH}') THEN "
                   + _NUMBER_DAY.format(x="CAST({col} AS DOUBLE)") + " END)"),
    },
    "spark": {
        "number": _NUMBER_DAY.format(x="CAST({col} AS DOUBLE)"),
        "timestamp": "CAST(floor(unix_micros(CAST({col} AS TIMESTAMP)) / 86400000000) AS BIGINT)",
        "string": (f"CASE WHEN {{col}} RLIKE '^({_ISO})$' THEN "
                   # Spark parses no zone after HH:MM without seconds: 11:00+05:30 is given as 11:00:00+05:30.
                   "CAST(floor(unix_micros(try_cast(CASE WHEN substr({col}, 17, 1) IN ('Z', '+', '-') THEN "
                   "concat(substr({col}, 1, 16), ':00', substr({col}, 17)) ELSE {col} END AS TIMESTAMP)) "
                   "/ 86400000000) AS BIGINT) "
                   f"WHEN {{col}} RLIKE '^({_EPOCH})$' THEN "
                   + _NUMBER_DAY.format(x="CAST({col} AS DOUBLE)") + " END"),
    },
}


# Without it DuckDB may evaluate a CTE once per use (a second scan of the dump): DuckDB 2 materialises a CTE used
# twice by itself, but the versions the package allows need not, so the keyword says it. (GROUPING SETS, which
# would need no CTE, is slower: DuckDB 2 feeds both sets through a CTE of its own.) Spark reuses the shuffle of an
# identical subquery by itself and has no such keyword.
MATERIALIZED = {"duckdb": "MATERIALIZED ", "spark": ""}


def days_view(dialect: str, kind: str, source: str, window: tuple[int, int] | None) -> str:
    """``SELECT`` of the source's columns (``ts``, ``u``[, ``p``][, ``f``]), each post's UTC day number ``d0``
    (NULL outside the grammar) and ``d``: ``d0`` when it falls in ``window`` (first and last day number,
    inclusive; None: any day), else NULL, which the queries count as a problem."""
    day = DAY_EXPRESSIONS[dialect][kind].format(col="ts")
    if dialect == "duckdb":  # 4-byte day numbers: the (user, day) hash table is most of the query's memory
        day = f"CAST({day} AS INTEGER)"
    within = "d0" if window is None else f"CASE WHEN d0 BETWEEN {int(window[0])} AND {int(window[1])} THEN d0 END"
    return f"SELECT *, {within} AS d FROM (SELECT *, {day} AS d0 FROM {source}) AS parsed"


def daily_query(platform: bool, dialect: str) -> str:
    """Per (platform,) day: posts, distinct active users, users whose first post is that day.

    ``missing`` counts posts without a user (or platform); a NULL ``d`` means an unparseable timestamp.
    The caller treats either as an error and asks ``problem_query`` which row it was.
    """
    p = "p, " if platform else ""
    on = " AND daily.p = newcomers.p" if platform else ""
    null_platform = " OR p IS NULL" if platform else ""
    return f"""
WITH user_days AS {MATERIALIZED[dialect]}(
    SELECT {p}u, d, count(*) AS n FROM activity_days GROUP BY {p}u, d
), firsts AS (
    SELECT {p}u, min(d) AS d FROM user_days WHERE u IS NOT NULL GROUP BY {p}u
), daily AS (
    SELECT {p}d, CAST(sum(n) AS BIGINT) AS posts, count(u) AS active_users,
           CAST(sum(CASE WHEN u IS NULL{null_platform} THEN n ELSE 0 END) AS BIGINT) AS missing
    FROM user_days GROUP BY {p}d
), newcomers AS (
    SELECT {p}d, count(*) AS new_users FROM firsts GROUP BY {p}d
)
SELECT daily.d AS d, {'daily.p AS p, ' if platform else ''}posts, active_users,
       CAST(coalesce(new_users, 0) AS BIGINT) AS new_users, missing
FROM daily LEFT JOIN newcomers ON daily.d = newcomers.d{on}
"""


def retention_query(first: int, last: int, length: int, periods: int, dialect: str) -> str:
    """Cohort size (period 0) and, per later period, how many of the cohort posted in it.

    The cohort is every user whose first post falls on days ``first`` … ``last`` (day numbers);
    period k ≥ 1 covers the days ``last + (k−1)·length + 1`` … ``last + k·length``. Period −1 counts
    posts with an unparseable timestamp or no user (an error for the caller); period −2
    holds the dump's last day number.
    """
    return f"""
WITH user_days AS {MATERIALIZED[dialect]}(
    SELECT u, d FROM activity_days GROUP BY u, d
), cohort AS (
    SELECT u FROM user_days WHERE u IS NOT NULL GROUP BY u HAVING min(d) BETWEEN {first} AND {last}
), later AS (
    SELECT user_days.u AS u, CAST(floor((user_days.d - {last} - 1) / {length}) AS BIGINT) + 1 AS period
    FROM user_days JOIN cohort ON user_days.u = cohort.u
    WHERE user_days.d > {last} AND user_days.d <= {last + length * periods}
)
SELECT CAST(-1 AS BIGINT) AS period, count(*) AS users FROM user_days WHERE d IS NULL OR u IS NULL
UNION ALL
SELECT CAST(-2 AS BIGINT) AS period, max(d) AS users FROM user_days
UNION ALL
SELECT CAST(0 AS BIGINT) AS period, count(*) AS users FROM cohort
UNION ALL
SELECT period, count(DISTINCT u) AS users FROM later GROUP BY period
"""


def problem_query(platform: bool) -> str:
    """The first post whose timestamp does not parse, or that has no user (or platform)."""
    null_platform = " OR p IS NULL" if platform else ""
    return (f"SELECT f, ts, d0, u{', p' if platform else ''} FROM activity_days_files "
            f"WHERE d IS NULL OR u IS NULL{null_platform} LIMIT 1")
