"""From a message-level dump to daily migration measures, out of core on DuckDB or on Spark.

``daily_activity`` turns posts (one row per message: a timestamp and an account) into one row per
UTC calendar day: ``posts``, ``active_users`` (distinct accounts that posted) and ``new_users``
(accounts whose first post in the dump is that day). ``cohort_retention`` follows the accounts first
seen in a window: the share of them that posted in each later week (or day). Both run one SQL query
(``activity.sql``), on DuckDB by default (streaming, with a memory limit it keeps by spilling to a
temporary folder) or on Spark SQL (``engine="spark"``) for dumps that outgrow one machine.

Sources: CSV, NDJSON (plain or gzip) and Parquet files, folders of them, glob patterns, a list of
those, or a pandas DataFrame. Timestamps follow one grammar on both engines (docs/activity.md): ISO 8601
strings (a zone offset or ``Z`` is honoured; none means UTC), epoch seconds (10^8 … 10^10) or epoch
milliseconds (10^11 … 10^13), or Parquet timestamps; a post dated outside a window (by default from
2000 to the end of next year) is an error, as a wrongly read timestamp usually lands there.
"""

from __future__ import annotations

import re
import warnings
from datetime import date

import pandas as pd

from .engines import ENGINE_MODULES, ENGINES
from .extras import import_extra
from .sources import ActivitySourceError, Source, resolve_source
from .sql import EPOCH_PATTERN, daily_query, problem_query, retention_query

__all__ = ["DAILY_COLUMNS", "EmptyDumpWarning", "activity_series", "cohort_retention", "daily_activity", "date_window"]

DAILY_COLUMNS = ["date", "posts", "active_users", "new_users"]
RETENTION_COLUMNS = ["period", "period_start", "period_end", "complete", "cohort_size", "active_users", "share"]
PERIODS = {"day": 1, "week": 7}
_EPOCH = pd.Timestamp("1970-01-01")


def _engine(engine: str):
    """The engine's context manager, once its package is known to be installed (else one line: what to install)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    import_extra(ENGINE_MODULES[engine])
    return ENGINES[engine]


def _dates(day_numbers) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(_EPOCH + pd.to_timedelta(pd.Series(day_numbers, dtype="int64"), unit="D"), name="date")


class EmptyDumpWarning(UserWarning):
    """The dump holds no posts: every file is empty or has a header only."""


DEFAULT_SINCE = "2000-01-01"


def default_until() -> pd.Timestamp:
    """The last day of next year: the default end of the accepted dates."""
    return pd.Timestamp(date.today().year + 1, 12, 31)


def date_window(since=None, until=None, any_date: bool = False) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last accepted day (default 2000-01-01 to the end of next year), or None for any date."""
    if any_date:
        if since is not None or until is not None:
            raise ValueError("pass since/until or any_date, not both")
        return None
    first = pd.Timestamp(since if since is not None else DEFAULT_SINCE).normalize()
    last = pd.Timestamp(until).normalize() if until is not None else default_until()
    if last < first:
        raise ValueError(f"until {last:%Y-%m-%d} is before since {first:%Y-%m-%d}")
    return first, last


def _day_numbers(window: tuple[pd.Timestamp, pd.Timestamp] | None) -> tuple[int, int] | None:
    return None if window is None else ((window[0] - _EPOCH).days, (window[1] - _EPOCH).days)


def _timestamp_problem(value, day, window) -> str:
    """What is wrong with a timestamp the engine did not count (its day number ``day``, when it had one)."""
    text = "" if value is None else str(value)
    if text.strip() == "":
        return "missing"
    if day is not None and window is not None:
        return (f"{_EPOCH + pd.Timedelta(days=int(day)):%Y-%m-%d} is outside the accepted dates "
                f"{window[0]:%Y-%m-%d} to {window[1]:%Y-%m-%d} (value {text!r}); set the window with --since/--until "
                "or allow any date with --any-date (since=, until=, any_date=True)")
    if re.fullmatch(EPOCH_PATTERN, text) or isinstance(value, (int, float)):
        hint = "; a date written YYYYMMDD is not accepted, write YYYY-MM-DD" if re.fullmatch(r"(19|20)\d{6}", text) else ""
        return ("epoch value outside the plausible range (seconds from 10^8 to 10^10 or milliseconds from 10^11 to "
                f"10^13, the years 1973 to 2286){hint} (value {text!r})")
    return f"not an ISO-8601 timestamp or epoch seconds/milliseconds (value {text!r})"


def _raise_problem(run, src: Source, platform: bool, window) -> None:
    """Raise the error for the first post the engine could not count: file, line, the user's column, the value."""
    rows = run(problem_query(platform))
    if not rows:
        return
    f, ts, day, u, *p = rows[0]
    columns = src.columns
    if u is None:
        column, value, what = columns["u"], None, f"a post has no user (its timestamp is {ts!r})"
    elif platform and p[0] is None:
        column, value, what = columns["p"], None, f"a post has no platform (user {u!r})"
    else:
        column, value, what = columns["ts"], ts, _timestamp_problem(ts, day, window)
    raise ActivitySourceError(f"{src.where(f, column, value)}: column '{column}': {what}")


def _note_if_empty(src: Source, rows: int) -> None:
    if rows == 0:
        warnings.warn(f"{src.describe()}: the dump holds no posts (every file is empty or has a header only)",
                      EmptyDumpWarning, stacklevel=3)


def daily_activity(source, *, timestamp: str, user: str, platform: str | None = None, engine: str = "duckdb",
                   memory_limit: str | None = None, temp_dir: str | None = None,
                   progress: bool | None = None, since=None, until=None, any_date: bool = False) -> pd.DataFrame:
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

    ``since`` and ``until`` (dates, inclusive) bound the accepted days: by default 2000-01-01 to the end
    of next year; ``any_date=True`` accepts any. A post outside them is an error, not dropped: a
    timestamp read wrongly (a YYYYMMDD number taken for epoch seconds) usually lands there.

    A missing column, a timestamp outside the grammar (docs/activity.md) or the window, or a post without
    a user raises ``ActivitySourceError`` (a ``ValueError``): one line naming the file, the line where
    known, your column name and the value. A dump without any post gives an empty table and an
    ``EmptyDumpWarning``.
    """
    columns = {"ts": timestamp, "u": user, "p": platform}
    window = date_window(since, until, any_date)
    open_engine = _engine(engine)
    src = resolve_source(source, columns)
    has_platform = platform is not None
    options = {"memory_limit": memory_limit, "temp_dir": temp_dir, "progress": progress, "window": _day_numbers(window)}
    with open_engine(src, **options) as run:
        rows = run(daily_query(has_platform, engine))
        if any(r[0] is None or r[-1] for r in rows) or (has_platform and any(r[1] is None for r in rows)):
            _raise_problem(run, src, has_platform, window)
    _note_if_empty(src, len(rows))
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
                     temp_dir: str | None = None, progress: bool | None = None, since=None, until=None,
                     any_date: bool = False) -> pd.DataFrame:
    """Of the users first seen from ``cohort_start`` to ``cohort_end`` (UTC days, inclusive), the share
    that posted in each later period.

    Period k (1 … ``periods``) covers the k-th ``every`` (``"week"``: 7 days, ``"day"``, or a number of
    days) after ``cohort_end``. Returns ``period``, ``period_start``, ``period_end`` (inclusive),
    ``cohort_size``, ``active_users`` (cohort members with a post in the period) and ``share``
    (active_users ÷ cohort_size; missing for an empty cohort). Sources, timestamps, the window of
    accepted dates (``since``, ``until``, ``any_date``), engines and errors as in ``daily_activity``.
    """
    length = _period_length(every)
    if periods < 1:
        raise ValueError("periods must be at least 1")
    start, end = pd.Timestamp(cohort_start).normalize(), pd.Timestamp(cohort_end).normalize()
    if end < start:
        raise ValueError(f"cohort_end {end:%Y-%m-%d} is before cohort_start {start:%Y-%m-%d}")
    first, last = (start - _EPOCH).days, (end - _EPOCH).days
    window = date_window(since, until, any_date)
    open_engine = _engine(engine)
    src = resolve_source(source, {"ts": timestamp, "u": user})
    options = {"memory_limit": memory_limit, "temp_dir": temp_dir, "progress": progress, "window": _day_numbers(window)}
    with open_engine(src, **options) as run:
        counts = dict(run(retention_query(first, last, length, periods, engine)))
        if counts.get(-1):
            _raise_problem(run, src, False, window)
    _note_if_empty(src, 0 if counts.get(-2) is None else 1)
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
