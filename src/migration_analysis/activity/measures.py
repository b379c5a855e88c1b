"""From a message-level dump to daily migration measures, out of core on DuckDB or on Spark.

``daily_activity`` turns posts (one row per message: a timestamp and an account) into one row per
UTC calendar day: ``posts``, ``active_users`` (distinct accounts that posted) and ``new_users``
(accounts whose first post in the dump is that day). ``cohort_retention`` follows the accounts first
seen in a window: the share of them that posted in each later week (or day). Both run one SQL query
(``activity.sql``), on DuckDB by default (streaming, with a memory limit it keeps by spilling to a
temporary folder) or on Spark SQL (``engine="spark"``) for dumps that outgrow one machine.

Sources: CSV, NDJSON (plain or gzip) and Parquet files, folders of them, glob patterns, a list of
those, or a pandas DataFrame. Timestamps: ISO 8601 strings (a zone offset or ``Z`` is honoured; none
means UTC), epoch seconds or epoch milliseconds (numbers from 1e11 up), or Parquet timestamps.
"""

from __future__ import annotations

import pandas as pd

from .engines import ENGINES
from .sources import ActivitySourceError, resolve_source
from .sql import daily_query, problem_query, retention_query

__all__ = ["DAILY_COLUMNS", "activity_series", "cohort_retention", "daily_activity"]

DAILY_COLUMNS = ["date", "posts", "active_users", "new_users"]
RETENTION_COLUMNS = ["period", "period_start", "period_end", "complete", "cohort_size", "active_users", "share"]
PERIODS = {"day": 1, "week": 7}
_EPOCH = pd.Timestamp("1970-01-01")


def _engine(engine: str):
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    return ENGINES[engine]


def _dates(day_numbers) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(_EPOCH + pd.to_timedelta(pd.Series(day_numbers, dtype="int64"), unit="D"), name="date")


def _raise_problem(run, columns: dict[str, str], platform: bool) -> None:
    rows = run(problem_query(platform))
    if not rows:
        return
    f, ts, u, *p = rows[0]
    if u is None:
        raise ActivitySourceError(f"{f}: column '{columns['u']}': a post has no user (its timestamp is {ts!r})")
    if platform and p[0] is None:
        raise ActivitySourceError(f"{f}: column '{columns['p']}': a post has no platform (user {u!r})")
    what = "missing" if ts is None or str(ts).strip() == "" else "not an ISO-8601 timestamp or epoch seconds/milliseconds"
    raise ActivitySourceError(f"{f}: column '{columns['ts']}': {what} (value {'' if ts is None else str(ts)!r})")


def daily_activity(source, *, timestamp: str, user: str, platform: str | None = None, engine: str = "duckdb",
                   memory_limit: str | None = None, temp_dir: str | None = None,
                   progress: bool | None = None) -> pd.DataFrame:
    """Posts, active users and new users per UTC calendar day of a message-level dump.

    ``source``: a file, folder, glob pattern or list of them (CSV, NDJSON, plain or ``.gz``, Parquet),
    or a DataFrame. ``timestamp``, ``user`` and optionally ``platform`` name its columns. Returns
    ``date`` (midnight UTC, tz-naive), then ``platform`` when given, then ``posts`` (rows of the dump,
    so an exact duplicate counts twice: deduplicate the dump first if it has overlapping scrapes),
    ``active_users`` (distinct users who posted that day) and ``new_users`` (users whose first post is
    that day; per platform, first on that platform), sorted by date (and platform). Days without any
    post are absent, not zero: in a dump, a silent day is more often a gap in collection.

    ``engine``: ``"duckdb"`` (default) or ``"spark"`` (the active SparkSession, or a local one).
    ``memory_limit`` (``"2GB"``) caps DuckDB's memory, spilling to ``temp_dir`` (default: a temporary
    folder, removed after); for Spark it is the local driver's memory. ``progress`` shows DuckDB's
    progress bar (default: when stderr is a terminal).

    A missing column, an unparseable timestamp or a post without a user raises
    ``ActivitySourceError`` (a ``ValueError``), one line naming the file and the value.
    """
    columns = {"ts": timestamp, "u": user, "p": platform}
    src = resolve_source(source, columns)
    has_platform = platform is not None
    options = {"memory_limit": memory_limit, "temp_dir": temp_dir, "progress": progress}
    with _engine(engine)(src, **options) as run:
        rows = run(daily_query(has_platform, engine))
        if any(r[0] is None or r[-1] for r in rows) or (has_platform and any(r[1] is None for r in rows)):
            _raise_problem(run, src.columns, has_platform)
    names = ["d", "platform"] if has_platform else ["d"]
    frame = pd.DataFrame.from_records(rows, columns=[*names, "posts", "active_users", "new_users", "missing"])
    out = pd.DataFrame({"date": _dates(frame["d"])})
    if has_platform:
        out["platform"] = frame["platform"].astype("str")
    for column in DAILY_COLUMNS[1:]:
        out[column] = frame[column].astype("int64")
    return out.sort_values(["date", *(["platform"] if has_platform else [])], kind="mergesort").reset_index(drop=True)


def _period_length(every: str | int) -> int:
    if isinstance(every, int) and not isinstance(every, bool) and every >= 1:
        return every
    if every in PERIODS:
        return PERIODS[every]
    raise ValueError(f"every must be 'day', 'week' or a whole number of days, not {every!r}")


def cohort_retention(source, *, timestamp: str, user: str, cohort_start, cohort_end, every: str | int = "week",
                     periods: int = 12, engine: str = "duckdb", memory_limit: str | None = None,
                     temp_dir: str | None = None, progress: bool | None = None) -> pd.DataFrame:
    """Of the users first seen from ``cohort_start`` to ``cohort_end`` (UTC days, inclusive), the share
    that posted in each later period.

    Period k (1 … ``periods``) covers the k-th ``every`` (``"week"``: 7 days, ``"day"``, or a number of
    days) after ``cohort_end``. Returns ``period``, ``period_start``, ``period_end`` (inclusive),
    ``cohort_size``, ``active_users`` (cohort members with a post in the period) and ``share``
    (active_users ÷ cohort_size; missing for an empty cohort). Sources, timestamps, engines and errors
    as in ``daily_activity``.
    """
    length = _period_length(every)
    if periods < 1:
        raise ValueError("periods must be at least 1")
    start, end = pd.Timestamp(cohort_start).normalize(), pd.Timestamp(cohort_end).normalize()
    if end < start:
        raise ValueError(f"cohort_end {end:%Y-%m-%d} is before cohort_start {start:%Y-%m-%d}")
    first, last = (start - _EPOCH).days, (end - _EPOCH).days
    src = resolve_source(source, {"ts": timestamp, "u": user})
    options = {"memory_limit": memory_limit, "temp_dir": temp_dir, "progress": progress}
    with _engine(engine)(src, **options) as run:
        counts = dict(run(retention_query(first, last, length, periods, engine)))
        if counts.get(-1):
            _raise_problem(run, src.columns, False)
    size = int(counts.get(0, 0))
    dump_end = _EPOCH + pd.Timedelta(days=int(counts[-2])) if counts.get(-2) is not None else start
    period = pd.RangeIndex(1, periods + 1)
    active = pd.Series([int(counts.get(k, 0)) for k in period], dtype="int64")
    starts = pd.Series(end + pd.to_timedelta((period - 1) * length + 1, unit="D"))
    share = (active / size if size else pd.Series(float("nan"), index=active.index)).where(starts <= dump_end)
    return pd.DataFrame({
        "period": pd.Series(period, dtype="int64"),
        "period_start": starts,
        "period_end": starts + pd.Timedelta(days=length - 1),
        "complete": starts + pd.Timedelta(days=length - 1) <= dump_end,
        "cohort_size": size,
        "active_users": active,
        "share": share,
    }, columns=RETENTION_COLUMNS)


def activity_series(daily: pd.DataFrame, measure: str = "new_users", platform: str | None = None) -> pd.Series:
    """One measure of ``daily_activity``'s result as a daily Series on a DatetimeIndex, ready for
    ``event_window_change`` and ``plot_series_with_events`` (one platform's, if it has several)."""
    rows = daily
    if "platform" in daily.columns:
        if platform is None and daily["platform"].nunique() > 1:
            raise ValueError(f"the table has several platforms {sorted(daily['platform'].unique())}; pass platform=")
        rows = daily if platform is None else daily[daily["platform"] == platform]
    if rows.empty:
        raise KeyError(f"no rows for platform {platform!r}")
    return pd.Series(rows[measure].to_numpy(dtype="float64"), index=pd.DatetimeIndex(rows["date"], name="date"),
                     name=measure if platform is None else f"{platform} {measure}")
