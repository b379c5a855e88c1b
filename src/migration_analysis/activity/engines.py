"""Run the activity SQL on DuckDB (embedded, out of core) or Spark SQL (local or a cluster).

Each engine is a context manager that exposes a dump as the views ``activity_days`` and
``activity_days_files`` (see ``activity_sql``) and yields a function running one query to a list of tuples.
duckdb and pyspark are imported here, when an engine is opened, never when the package is imported.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .extras import import_extra
from .sources import ActivitySourceError, Source
from .sql import days_view

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

Runner = Callable[[str], list[tuple]]
ROLES = ("ts", "u", "p")
# DuckDB's memory limit when none is given. Its own default (80% of the machine) lets the hash tables of a 10M-post
# dump grow to about 650 MB; held to this they spill to the temporary folder, the whole process stays under a
# third of the pandas code's peak memory, and the run takes about as long (benchmarks/bench_activity.py: within
# the noise of a busy 2-core machine, 1.07-1.15x DuckDB's own group by against 1.00-1.14x without a limit).
DEFAULT_MEMORY_LIMIT = "350MB"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# Where an engine's error names the file it failed on: DuckDB ('file = a.csv' in a CSV error's details,
# 'in file "a.ndjson"', 'sniffing file "a.csv"') and Spark ('error while reading file file:///a.csv.').
_FILE_IN_ERROR = re.compile(r'(?:^  file = (.+)$|file "([^"\n]+)"|reading file (\S+?)\.?(?:\s|$))', re.MULTILINE)
# The Java exception's own message in a Py4J error, without the stack: 'org.…SparkException: [CODE] text'.
_JAVA_MESSAGE = re.compile(r"^\s*:?\s*(?:[\w$]+\.)+[\w$]*(?:Exception|Error): (.*?)(?:\s+SQLSTATE: \w+)?\s*$", re.MULTILINE)


def read_error(exc: BaseException, source: Source, engine: str) -> ActivitySourceError:
    """An engine's error as one line: the file and line where it is malformed, else the engine's message."""
    text = str(exc)
    java = _JAVA_MESSAGE.search(text)
    message = java.group(1) if java else _one_line(exc)
    found = _FILE_IN_ERROR.search(text)
    if found:
        name = next(g for g in found.groups() if g)
        return ActivitySourceError(source.read_error(name.strip(), engine, message))
    return ActivitySourceError(f"{engine} could not read the dump: {message}")


# --- DuckDB --------------------------------------------------------------------------------------


def _dq(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sq(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def duckdb_literal(path) -> str:
    """A file name as DuckDB's reader takes it literally: it globs every name, so ``*``, ``?`` and ``[`` are
    bracketed (``part[1].csv`` -> ``part[[]1].csv``, which matches that one file)."""
    return re.sub(r"([*?\[])", r"[\1]", str(path))


def _duckdb_reader(fmt: str, paths: list, columns: dict[str, str], by_name: bool, files: bool,
                   header: tuple[str, ...] = ()) -> str:
    """A DuckDB table function reading ``paths``; ``files`` adds the ``filename`` column (slower).

    CSV files are read with the ``header`` they share and no sniffing: the sniffer guessed a dialect from a
    ragged row (a file with one extra field read as no rows, or failed on a missing column), whereas with the
    columns given a record with too many or too few fields is an error at its line."""
    options = (", union_by_name = true" if by_name else "") + (", filename = true" if files else "")
    paths_list = "[" + ", ".join(_sq(duckdb_literal(p)) for p in paths) + "]"
    if fmt == "csv":
        names = ", ".join(f"{_sq(name)}: 'VARCHAR'" for name in header)
        return (f"read_csv({paths_list}, auto_detect = false, header = true, delim = ',', quote = '\"', escape = '\"', "
                f"columns = {{{names}}}{', filename = true' if files else ''})")
    if fmt == "json":
        wanted = ", ".join(f"{_sq(name)}: 'VARCHAR'" for name in dict.fromkeys(columns.values()))
        return f"read_json({paths_list}, format = 'newline_delimited', columns = {{{wanted}}}{options})"
    return f"read_parquet({paths_list}, union_by_name = true{options})"


def _duckdb_kind(type_name: str) -> str:
    name = type_name.upper()
    if name.startswith(("TIMESTAMP", "DATE")):
        return "timestamp"
    numeric = r"(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)"
    if re.match(numeric, name):
        return "number"
    return "string" if name == "VARCHAR" else "other"


def _duckdb_source(con, source: Source, files: bool) -> tuple[str, str]:
    """(SELECT of ts, u[, p][, f] over every format of the source, kind of ts)."""
    cols = source.columns
    roles = [r for r in ROLES if r in cols]
    if source.frame is not None:
        con.register("activity_frame", source.frame[list(dict.fromkeys(cols.values()))])
        readers = [("activity_frame", "'the DataFrame'")]
    else:
        readers = [(_duckdb_reader(fmt, paths, cols, fmt in source.mixed_headers, files), "filename")
                   for fmt, paths in source.files.items() if fmt != "csv"]
        groups: dict[tuple, list] = {}  # CSV files by header: one reader each
        for path in source.files.get("csv", []):
            groups.setdefault(source.headers[path], []).append(path)
        readers += [(_duckdb_reader("csv", paths, cols, False, files, header), "filename")
                    for header, paths in groups.items()]
    parts = []
    for reader, filename in readers:
        if reader.startswith(("read_csv", "read_json")):
            kind = "string"  # read as VARCHAR: no need to ask (asking makes DuckDB sniff the file again)
        else:
            types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {reader})").fetchall())
            kind = _duckdb_kind(types[cols["ts"]])
        select = ", ".join(f"{_dq(cols['ts'])} AS ts" if r == "ts" else f"CAST({_dq(cols[r])} AS VARCHAR) AS {r}" for r in roles)
        parts.append((f"SELECT {select}{f', {filename} AS f' if files else ''} FROM {reader}", kind))
    if not parts:
        nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {r}" for r in roles)
        parts = [(f"SELECT {nulls}{', CAST(NULL AS VARCHAR) AS f' if files else ''} WHERE false", "string")]
    kinds = {kind for _, kind in parts}
    kind = kinds.pop() if len(kinds) == 1 and "other" not in kinds else "string"
    union = " UNION ALL BY NAME ".join(
        sql if kind != "string" else f"SELECT * REPLACE (CAST(ts AS VARCHAR) AS ts) FROM ({sql})" for sql, _ in parts)
    return union, kind


@contextmanager
def duckdb_engine(source: Source, *, memory_limit: str | None = None, temp_dir: str | None = None,
                  progress: bool | None = None, threads: int | None = None,
                  window: tuple[int, int] | None = None) -> Iterator[Runner]:
    """An in-process DuckDB with the dump as views; spills to ``temp_dir`` above ``memory_limit``
    (default ``DEFAULT_MEMORY_LIMIT``)."""
    duckdb = import_extra("duckdb")

    spill = temp_dir or tempfile.mkdtemp(prefix="migration-analysis-duckdb-")
    con = duckdb.connect(config={"preserve_insertion_order": False})
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET temp_directory = {_sq(spill)}")
        con.execute(f"SET memory_limit = {_sq(memory_limit or DEFAULT_MEMORY_LIMIT)}")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        try:  # set either way: DuckDB's own default shows the bar on any query past two seconds
            con.execute(f"SET enable_progress_bar = {str(sys.stderr.isatty() if progress is None else progress).lower()}")
        except duckdb.Error:  # in Jupyter, DuckDB's bar needs ipywidgets: run without it
            pass
        for files, name in ((False, "activity_days"), (True, "activity_days_files")):
            union, kind = _duckdb_source(con, source, files)
            con.execute(f"CREATE TEMP VIEW {name} AS {days_view('duckdb', kind, f'({union})', window)}")

        def run(sql: str) -> list[tuple]:
            try:
                return con.execute(sql).fetchall()
            except duckdb.Error as exc:
                raise read_error(exc, source, "duckdb") from None

        yield run
    except duckdb.Error as exc:
        raise read_error(exc, source, "duckdb") from None
    finally:
        con.close()
        if temp_dir is None:
            shutil.rmtree(spill, ignore_errors=True)


# --- Spark ---------------------------------------------------------------------------------------


# pyspark warns about pandas 3 whenever it touches pandas; this module never hands pandas to Spark.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)


def spark_memory(limit: str) -> str:
    """``2GB`` / ``512MB`` (DuckDB's spelling) as Spark's ``2g`` / ``512m``."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMGT])i?B?\s*", limit, flags=re.IGNORECASE)
    if not match:
        raise ValueError(f"memory limit {limit!r} is not a size such as 2GB or 512MB")
    return f"{match[1]}{match[2].lower()}"


def spark_session(memory_limit: str | None = None, temp_dir: str | None = None) -> SparkSession:
    """The active SparkSession, or a new one: under spark-submit, on its master; otherwise local, on every
    core (``MA_SPARK_MASTER`` to choose), with ``memory_limit`` as the driver's memory."""
    import_extra("pyspark")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("migration-analysis").config("spark.sql.session.timeZone", "UTC")
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit, whose --master and resources then apply
        builder = builder.master(os.environ.get("MA_SPARK_MASTER", "local[*]")).config("spark.ui.enabled", "false")
    if memory_limit:
        builder = builder.config("spark.driver.memory", spark_memory(memory_limit))
    if temp_dir:
        builder = builder.config("spark.local.dir", temp_dir)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _bq(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def spark_literal(path) -> str:
    """A local file name as Spark (Hadoop) takes it literally: its glob characters escaped with a backslash."""
    return re.sub(r"([\\*?\[\]{}])", r"\\\1", str(path))


def _spark_frames(spark, source: Source) -> list:
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    cols = source.columns
    names = list(dict.fromkeys(cols.values()))
    strings = StructType([StructField(n, StringType()) for n in names])
    if source.frame is not None:
        text = source.frame[names].astype("string").astype(object)
        rows = text.where(text.notna(), None).itertuples(index=False, name=None)
        return [spark.createDataFrame(list(rows), strings).withColumn("__f", F.lit("the DataFrame"))]
    frames = []
    for fmt, paths in source.files.items():
        files = [p if isinstance(p, str) else spark_literal(p) for p in paths]
        # FAILFAST: a ragged CSV record or a line that is no JSON object fails the read (as in DuckDB) instead
        # of becoming a row of nulls.
        if fmt == "csv":
            df = spark.read.csv(files, header=True, multiLine=True, escape='"', mode="FAILFAST")
        elif fmt == "json":
            df = spark.read.schema(strings).option("mode", "FAILFAST").json(files)
        else:
            df = spark.read.option("mergeSchema", "true").parquet(*files)
        frames.append(df.withColumn("__f", F.input_file_name()))
    return frames


def _spark_kind(data_type) -> str:
    from pyspark.sql import types as T

    if isinstance(data_type, T.StringType):
        return "string"
    if isinstance(data_type, (T.TimestampType, T.TimestampNTZType, T.DateType)):
        return "timestamp"
    return "number" if isinstance(data_type, T.NumericType) else "other"


def _spark_views(spark, source: Source, window: tuple[int, int] | None) -> None:
    """The dump as the views ``activity_days`` and ``activity_days_files`` (the same: Spark reads file names
    at no extra cost)."""
    from pyspark.sql import functions as F

    cols = source.columns
    roles = [r for r in ROLES if r in cols]
    frames = _spark_frames(spark, source)
    kinds = {_spark_kind(df.schema[cols["ts"]].dataType) for df in frames} or {"string"}
    kind = kinds.pop() if len(kinds) == 1 and "other" not in kinds else "string"
    selected = []
    for df in frames:
        exprs = [(F.col(_bq(cols[r])) if r == "ts" and kind != "string" else F.col(_bq(cols[r])).cast("string")).alias(r)
                 for r in roles]
        selected.append(df.select(*exprs, F.col("__f").alias("f")))  # a URI: Source.local_file names the file
    if not selected:
        schema = ", ".join(f"{r} STRING" for r in roles) + ", f STRING"
        selected = [spark.createDataFrame([], schema)]
    union = selected[0]
    for df in selected[1:]:
        union = union.unionByName(df)
    union.createOrReplaceTempView("activity_source")
    days = spark.sql(days_view("spark", kind, "activity_source", window))
    days.createOrReplaceTempView("activity_days")
    days.createOrReplaceTempView("activity_days_files")


@contextmanager
def spark_engine(source: Source, *, memory_limit: str | None = None, temp_dir: str | None = None,
                 progress: bool | None = None, window: tuple[int, int] | None = None) -> Iterator[Runner]:
    """Spark SQL with the dump as temporary views (the active session, or a local one).

    ``progress`` is accepted for symmetry; Spark shows its own stage progress on a terminal.
    """
    spark = spark_session(memory_limit, temp_dir)
    zone = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    try:
        try:
            _spark_views(spark, source, window)
        except ActivitySourceError:
            raise
        except Exception as exc:  # Py4J and Spark analysis errors: one line for the user, not a Java stack
            raise read_error(exc, source, "spark") from None

        def run(sql: str) -> list[tuple]:
            try:
                return [tuple(row) for row in spark.sql(sql).collect()]
            except Exception as exc:
                raise read_error(exc, source, "spark") from None

        yield run
    finally:
        spark.catalog.dropTempView("activity_days")
        spark.catalog.dropTempView("activity_days_files")
        spark.catalog.dropTempView("activity_source")
        spark.conf.set("spark.sql.session.timeZone", zone)


ENGINES = {"duckdb": duckdb_engine, "spark": spark_engine}
# The package each engine needs (an optional extra): asked for before any file is read.
ENGINE_MODULES = {"duckdb": "duckdb", "spark": "pyspark"}
