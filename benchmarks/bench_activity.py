"""daily_activity against pandas, Polars and DuckDB's own floors, on generated message-level logs.

1. A 10M-row CSV log (1M users, ISO timestamps, a surge). Each side runs in its own process (peak RSS from
   that child's rusage), in alternating rounds; the medians are compared, in one run:
   - ``pandas``: read_csv + to_datetime + groupby + nunique + first-seen, as a user would write it;
     ``pandas-pyarrow``: the same with ``engine="pyarrow"``;
   - ``polars``: a lazy scan collected by the streaming engine (the optional ``bench`` extra; skipped, with
     a line saying so, when Polars is not installed);
   - ``daily_activity`` at its default settings (and at each ``--limits`` memory limit);
   - DuckDB's floors, no table: ``floor-scan`` reads the file with the timestamps typed TIMESTAMPTZ by the CSV
     reader; ``floor-groupby`` also groups by (user, UTC day), which any exact answer must do.
   Every table (pandas, Polars, daily_activity) must be identical. Targets (issue #24): daily_activity
   <= 1.15x the group-by floor's time, >= 1.3x faster than Polars, <= 0.35x the pandas code's peak memory.
2. A 100M-row Parquet log processed with ``memory_limit="1GB"``: time and peak RSS.

The logs are written to a temporary folder (not the repository) and removed afterwards.

    python benchmarks/bench_activity.py [--rows 10000000] [--rounds 3] [--skip-big] [--log FILE.csv]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYNTHETIC = {"start": "2020-12-01", "end": "2021-02-28", "surge_start": "2021-01-09", "seed": 14}
TABLE_SIDES = ("pandas", "pandas-pyarrow", "polars", "daily_activity")
FLOOR_SIDES = ("floor-scan", "floor-groupby")


def write_log(folder: Path, rows: int, users: int, fmt: str, chunk_rows: int = 5_000_000) -> Path:
    """A synthetic log of ``rows`` posts (ISO timestamps) as one CSV file or a folder of Parquet files."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from migration_analysis.activity.synthetic import iter_synthetic_log

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "log.csv" if fmt == "csv" else folder / "log"
    writer = None
    for index, chunk in enumerate(iter_synthetic_log(rows, users, chunk_rows=chunk_rows, **SYNTHETIC)):
        table = pa.Table.from_pandas(chunk.drop(columns="synthetic"), preserve_index=False)
        if fmt == "csv":
            if writer is None:
                writer = pacsv.CSVWriter(target, table.schema)
            writer.write_table(table)
        else:
            target.mkdir(exist_ok=True)
            pq.write_table(table, target / f"part-{index:04d}.parquet")
    if writer is not None:
        writer.close()
    return target


def pandas_daily(path: str, engine: str | None = None):
    """What a user would write in pandas (given the best reading options: only the two columns)."""
    import pandas as pd

    posts = pd.read_csv(path, usecols=["created_at", "user_id"], **({"engine": engine} if engine else {}))
    posts["date"] = pd.to_datetime(posts["created_at"], utc=True, format="ISO8601").dt.tz_localize(None).dt.floor("D")
    daily = posts.groupby("date").agg(posts=("user_id", "size"), active_users=("user_id", "nunique"))
    first_seen = posts.groupby("user_id")["date"].min()
    daily["new_users"] = first_seen.value_counts().reindex(daily.index, fill_value=0)
    return daily.reset_index()


def polars_daily(path: str):
    """The same in Polars: one lazy query on a scan of the file, collected by the streaming engine."""
    import polars as pl

    posts = pl.scan_csv(path).select(
        pl.col("created_at").str.to_datetime(time_unit="us", time_zone="UTC").dt.date().alias("date"), "user_id")
    daily = posts.group_by("date").agg(pl.len().alias("posts"), pl.col("user_id").n_unique().alias("active_users"))
    first = posts.group_by("user_id").agg(pl.col("date").min()).group_by("date").agg(pl.len().alias("new_users"))
    table = (daily.join(first, on="date", how="left").with_columns(pl.col("new_users").fill_null(0))
             .sort("date").collect(engine="streaming"))
    return table.to_pandas()


def duckdb_floor(path: str, group: bool) -> None:
    """DuckDB alone on the file: the timestamps typed by the CSV reader; with ``group``, grouped by (user, UTC day)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    reader = (f"read_csv('{path}', auto_detect = false, header = true, delim = ',', quote = '\"', "
              "columns = {'post_id': 'VARCHAR', 'created_at': 'TIMESTAMPTZ', 'user_id': 'VARCHAR', 'platform': 'VARCHAR'})")
    if group:
        con.execute(f"SELECT count(*) FROM (SELECT user_id, CAST(created_at AS DATE) AS day, count(*) AS n "
                    f"FROM {reader} GROUP BY user_id, day)").fetchall()
    else:
        con.execute(f"SELECT count(user_id), max(created_at) FROM {reader}").fetchall()


# What each side imports before its clock starts: the times compare the work on the log, not import times
# (migration_analysis with pandas takes about 0.5 s to import, duckdb alone 0.1 s; printed apart).
IMPORTS = {"pandas": "pandas", "pandas-pyarrow": "pandas", "polars": "polars", "floor-scan": "duckdb",
           "floor-groupby": "duckdb", "daily_activity": "migration_analysis.activity duckdb"}


def child(side: str, path: str, out: str, memory_limit: str | None) -> None:
    start = time.perf_counter()
    for module in IMPORTS[side].split():
        importlib.import_module(module)
    imported = time.perf_counter()
    table = None
    if side == "pandas":
        table = pandas_daily(path)
    elif side == "pandas-pyarrow":
        table = pandas_daily(path, engine="pyarrow")
    elif side == "polars":
        table = polars_daily(path)
    elif side in FLOOR_SIDES:
        duckdb_floor(path, group=side == "floor-groupby")
    else:
        from migration_analysis.activity import daily_activity

        table = daily_activity(path, timestamp="created_at", user="user_id", memory_limit=memory_limit, progress=False)
    seconds = time.perf_counter() - imported
    if table is not None:
        table.to_csv(out, index=False, date_format="%Y-%m-%d")
    print(json.dumps({"seconds": seconds, "import": imported - start}))


def measure(side: str, path: Path, out: Path, memory_limit: str | None = None) -> tuple[float, float, float]:
    """(seconds, peak RSS in MB, import seconds) of one side, run in a fresh interpreter."""
    command = [sys.executable, __file__, "--child", side, str(path), str(out)]
    if memory_limit:
        command += ["--memory-limit", memory_limit]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{side} run failed with exit code {process.returncode}")
    times = json.loads(stdout.strip().splitlines()[-1])
    return times["seconds"], usage.ru_maxrss / 1024, times["import"]


def generate(folder: Path, rows: int, users: int, fmt: str) -> Path:
    """Write the log in a child process: a child's peak RSS starts at its parent's, so the parent stays small."""
    command = [sys.executable, __file__, "--generate", str(folder), str(rows), str(users), fmt]
    return Path(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip())


def compare(path: Path, rounds: int, limits: list[str], work: Path) -> None:
    sides = {side: None for side in TABLE_SIDES}
    if importlib.util.find_spec("polars") is None:
        print("polars: not installed, its row is skipped (pip install 'migration-analysis[bench]')")
        del sides["polars"]
    sides |= {f"daily_activity:{limit}": limit for limit in limits} | {side: None for side in FLOOR_SIDES}
    results: dict[str, list] = {side: [] for side in sides}
    for _ in range(rounds):  # alternating, so a busy moment on the machine hits every side
        for side, limit in sides.items():
            results[side].append(measure(side.split(":")[0], path, work / f"{side}.csv", limit))
    median = {side: tuple(statistics.median(r[i] for r in runs) for i in range(3)) for side, runs in results.items()}
    reference = (work / "pandas.csv").read_text()
    ours, ours_rss, _ = median["daily_activity"]
    print(f"{'side':<24} {'time':>7} {'(import)':>9} {'peak RSS':>9}  {'x ours':>6}  same table")
    for side, (seconds, rss, imported) in median.items():
        same = "-" if side in FLOOR_SIDES else ("yes" if (work / f"{side}.csv").read_text() == reference else "NO")
        print(f"{side:<24} {seconds:6.2f}s {f'({imported:.2f}s)':>9} {rss:7,.0f}MB  {seconds / ours:5.2f}x  {same}")
    floor = median["floor-groupby"][0]
    print(f"daily_activity / DuckDB group-by floor: {ours / floor:.2f}x the time (target <= 1.15x); "
          f"/ scan+parse floor: {ours / median['floor-scan'][0]:.2f}x")
    if "polars" in median:
        print(f"Polars streaming / daily_activity: {median['polars'][0] / ours:.2f}x the time (target >= 1.3x)")
    print(f"pandas / daily_activity: {median['pandas'][0] / ours:.1f}x the time (pyarrow engine "
          f"{median['pandas-pyarrow'][0] / ours:.1f}x); daily_activity's peak memory {ours_rss / median['pandas'][1]:.2f}x "
          f"the pandas code's (target <= 0.35x)")
    print(f"(medians of {rounds} alternating rounds, each side in its own process; times after imports; "
          "peak RSS of the whole process)")


def big(rows: int, users: int, memory_limit: str, work: Path) -> None:
    t = time.perf_counter()
    path = generate(work / "parquet", rows, users, "parquet")
    size = sum(p.stat().st_size for p in path.iterdir())
    print(f"generated {rows:,} rows, {users:,} users as Parquet ({size / 1e9:.2f} GB, "
          f"{len(list(path.iterdir()))} files) in {time.perf_counter() - t:.0f} s")
    seconds, rss, _ = measure("daily_activity", path, work / "big.csv", memory_limit)
    print(f"daily_activity on {rows:,} rows with memory_limit={memory_limit}: {seconds:.0f} s, peak RSS {rss:,.0f} MB")
    shutil.rmtree(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("SIDE", "PATH", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--memory-limit", help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=4, metavar=("FOLDER", "ROWS", "USERS", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--log", type=Path, help="an existing CSV log to use instead of generating one (kept)")
    parser.add_argument("--limits", default="",
                        help="more DuckDB memory limits to run daily_activity at, comma-separated (e.g. 4GB)")
    parser.add_argument("--big-rows", type=int, default=100_000_000)
    parser.add_argument("--big-users", type=int, default=2_000_000)
    parser.add_argument("--big-memory-limit", default="1GB")
    parser.add_argument("--skip-big", action="store_true", help="only the 10M-row comparison")
    parser.add_argument("--skip-compare", action="store_true", help="only the 100M-row run")
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.memory_limit)
        return
    if args.generate:
        folder, rows, users, fmt = args.generate
        print(write_log(Path(folder), int(rows), int(users), fmt))
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    work = Path(tempfile.mkdtemp(prefix="bench-activity-"))
    try:
        if not args.skip_compare:
            path = args.log
            if path is None:
                t = time.perf_counter()
                path = generate(work / "csv", args.rows, args.users, "csv")
                print(f"generated {args.rows:,} rows, {args.users:,} users as CSV ({path.stat().st_size / 1e9:.2f} GB) "
                      f"in {time.perf_counter() - t:.0f} s")
            compare(path, args.rounds, [limit for limit in args.limits.split(",") if limit], work)
            if args.log is None:
                shutil.rmtree(work / "csv")
        if not args.skip_big:
            big(args.big_rows, args.big_users, args.big_memory_limit, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
