"""The SQL behind ``daily_activity`` and ``cohort_retention``: one query text for DuckDB and Spark SQL.

Each engine exposes the dump as a view ``activity_days(ts, u[, p], d)`` (timestamp, user, platform,
day number) and, for error messages only, ``activity_days_files`` with the file name ``f`` as well
(reading file names costs time on every row). The engines differ only in how a timestamp becomes a
UTC day number (days since 1970-01-01), so that expression is per dialect; everything after it is
shared and works on integers. The query first reduces the posts to one row per (platform, user, day), then
aggregates those: far less memory than a COUNT DISTINCT per day over every post.
"""

from __future__ import annotations

# Epoch values at or above 1e11 are read as milliseconds (1e11 seconds is the year 5138; 1e11 ms is 1973).
_MS_FROM = "1e11"
_NUMBER_DAY = ("CAST(floor({x} / CASE WHEN abs({x}) >= " + _MS_FROM + " THEN 86400000 ELSE 86400 END) AS BIGINT)")

# How each dialect turns a column of one kind into a UTC day number. Strings that are a plain number
# are epoch seconds or milliseconds; any other string is ISO 8601 (no zone means UTC). Unparseable -> NULL.
DAY_EXPRESSIONS = {
    "duckdb": {
        "number": _NUMBER_DAY.format(x="CAST({col} AS DOUBLE)"),
        "timestamp": "CAST(floor(epoch({col}) / 86400) AS BIGINT)",
        # ISO first: DuckDB parses no all-digit string as a timestamp, and COALESCE tries the regular
        # expression only on the rows still NULL, so ISO dumps pay nothing for the epoch case. A string
        # ending in Z is UTC already and takes the plain TIMESTAMP cast, faster than the zone-aware one.
        "string": ("COALESCE(CAST(floor(epoch(CASE WHEN ends_with({col}, 'Z') THEN TRY_CAST({col} AS TIMESTAMP) "
                   "ELSE TRY_CAST({col} AS TIMESTAMPTZ) END) / 86400) AS BIGINT), "
                   "CASE WHEN regexp_full_match({col}, '-?[0-9]+([.][0-9]*)?') THEN "
                   + _NUMBER_DAY.format(x="CAST({col} AS DOUBLE)") + " END)"),
    },
    "spark": {
        "number": _NUMBER_DAY.format(x="CAST({col} AS DOUBLE)"),
        "timestamp": "CAST(floor(unix_micros(CAST({col} AS TIMESTAMP)) / 86400000000) AS BIGINT)",
        "string": ("CASE WHEN {col} RLIKE '^-?[0-9]+([.][0-9]*)?$' THEN "
                   + _NUMBER_DAY.format(x="CAST({col} AS DOUBLE)")
                   + " ELSE CAST(floor(unix_micros(try_cast({col} AS TIMESTAMP)) / 86400000000) AS BIGINT) END"),
    },
}


# Without it DuckDB may evaluate a CTE once per use (a second scan of the dump); Spark reuses the
# shuffle of an identical subquery by itself and has no such keyword.
MATERIALIZED = {"duckdb": "MATERIALIZED ", "spark": ""}


def days_view(dialect: str, kind: str, source: str) -> str:
    """``SELECT`` of the source's columns (``ts``, ``u``[, ``p``][, ``f``]) and each post's UTC day number ``d``."""
    day = DAY_EXPRESSIONS[dialect][kind].format(col="ts")
    return f"SELECT *, {day} AS d FROM {source}"


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
    return (f"SELECT f, ts, u{', p' if platform else ''} FROM activity_days_files "
            f"WHERE d IS NULL OR u IS NULL{null_platform} LIMIT 1")
