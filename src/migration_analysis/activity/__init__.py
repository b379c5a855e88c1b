"""Message-level dumps to daily measures: daily posts, active users and new users per UTC day, and
cohort retention, on DuckDB (out of core) or Spark, from CSV, NDJSON or Parquet files and globs.

DuckDB and pyarrow are imported only when a function here runs (the ``activity`` extra).
"""

from .measures import EmptyDumpWarning, activity_series, cohort_retention, daily_activity
from .sources import ActivitySourceError
from .synthetic import iter_synthetic_log, synthetic_log

__all__ = ["ActivitySourceError", "EmptyDumpWarning", "activity_series", "cohort_retention", "daily_activity",
           "iter_synthetic_log", "synthetic_log"]
