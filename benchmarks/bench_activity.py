"""daily_activity against the pandas code a user would write, on generated message-level logs.

1. A 10M-row CSV log (1M users, ISO timestamps, a surge): time and peak memory of
   ``daily_activity`` (DuckDB) against read_csv + to_datetime + groupby + nunique + first-seen in
   pandas, each in its own subprocess (peak RSS from that child's rusage), and the two tables must be
   identical. Targets: ≥ 5× faster, ≤ 0.35× the peak memory. DuckDB runs at each ``--limits``
   memory limit (default: 400MB, and DuckDB's own default of 80% of RAM).
2. A 100M-row Parquet log processed with ``memory_limit="1GB"``: time and peak RSS.

The logs are written to a temporary folder (not the repository) and removed afterwards.

    python benchmarks/bench_activity.py [--rows 10000000] [--big-rows 100000000] [--skip-big]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYNTHETIC = {"start": "2020-12-01", "end": "2021-02-28", "surge_start": "2021-01-09", "seed": 14}


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


def pandas_daily(path: str):
    """What a user would write in pandas (given the best reading options: only the two columns)."""
    import pandas as pd

    posts = pd.read_csv(path, usecols=["created_at", "user_id"])
    posts["date"] = pd.to_datetime(posts["created_at"], utc=True, format="ISO8601").dt.tz_localize(None).dt.floor("D")
    daily = posts.groupby("date").agg(posts=("user_id", "size"), active_users=("user_id", "nunique"))
    first_seen = posts.groupby("user_id")["date"].min()
    daily["new_users"] = first_seen.value_counts().reindex(daily.index, fill_value=0)
    return daily.reset_index()


def child(side: str, path: str, out: str, memory_limit: str | None) -> None:
    start = time.perf_counter()
    if side == "pandas":
        table = pandas_daily(path)
    else:
        from migration_analysis.activity import daily_activity

        table = daily_activity(path, timestamp="created_at", user="user_id", memory_limit=memory_limit, progress=False)
    seconds = time.perf_counter() - start
    table.to_csv(out, index=False, date_format="%Y-%m-%d")
    print(json.dumps({"seconds": seconds}))


def measure(side: str, path: Path, out: Path, memory_limit: str | None = None) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one side, run in a fresh interpreter."""
    command = [sys.executable, __file__, "--child", side, str(path), str(out)]
    if memory_limit:
        command += ["--memory-limit", memory_limit]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{side} run failed with exit code {process.returncode}")
    return json.loads(stdout.strip().splitlines()[-1])["seconds"], usage.ru_maxrss / 1024


def generate(folder: Path, rows: int, users: int, fmt: str) -> Path:
    """Write the log in a child process: a child's peak RSS starts at its parent's, so the parent stays small."""
    command = [sys.executable, __file__, "--generate", str(folder), str(rows), str(users), fmt]
    return Path(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip())


def compare(rows: int, users: int, repeats: int, limits: list[str], work: Path) -> None:
    t = time.perf_counter()
    path = generate(work / "csv", rows, users, "csv")
    print(f"generated {rows:,} rows, {users:,} users as CSV ({path.stat().st_size / 1e9:.2f} GB) "
          f"in {time.perf_counter() - t:.0f} s")
    sides = {"pandas": None, **{f"duckdb:{limit}": None if limit == "default" else limit for limit in limits}}
    results: dict[str, list] = {side: [] for side in sides}
    for _ in range(repeats):  # alternating, so a busy moment on the machine hits every side
        for side, limit in sides.items():
            results[side].append(measure(side.split(":")[0], path, work / f"{side}.csv", limit))
    p_time, p_rss = min(r[0] for r in results["pandas"]), max(r[1] for r in results["pandas"])
    print(f"pandas (read_csv, to_datetime, groupby, nunique, first-seen): {p_time:.1f} s, peak RSS {p_rss:,.0f} MB")
    for side in list(sides)[1:]:
        same = (work / "pandas.csv").read_text() == (work / f"{side}.csv").read_text()
        d_time, d_rss = min(r[0] for r in results[side]), max(r[1] for r in results[side])
        print(f"daily_activity, DuckDB, memory_limit={side.split(':')[1]}: {d_time:.1f} s, peak RSS {d_rss:,.0f} MB   "
              f"speed-up {p_time / d_time:.1f}x (target >= 5x)   peak memory {d_rss / p_rss:.2f}x of pandas "
              f"(target <= 0.35x)   same table: {'yes' if same else 'NO'}")
    print(f"(best time and highest peak RSS of {repeats} alternating runs, each in its own process)")
    shutil.rmtree(work / "csv")


def big(rows: int, users: int, memory_limit: str, work: Path) -> None:
    t = time.perf_counter()
    path = generate(work / "parquet", rows, users, "parquet")
    size = sum(p.stat().st_size for p in path.iterdir())
    print(f"generated {rows:,} rows, {users:,} users as Parquet ({size / 1e9:.2f} GB, "
          f"{len(list(path.iterdir()))} files) in {time.perf_counter() - t:.0f} s")
    seconds, rss = measure("duckdb", path, work / "big.csv", memory_limit)
    print(f"daily_activity on {rows:,} rows with memory_limit={memory_limit}: {seconds:.0f} s, peak RSS {rss:,.0f} MB")
    shutil.rmtree(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("SIDE", "PATH", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--memory-limit", help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=4, metavar=("FOLDER", "ROWS", "USERS", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--limits", default="400MB,default",
                        help="DuckDB memory limits to compare with pandas, comma-separated ('default': DuckDB's own)")
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
            compare(args.rows, args.users, args.repeats, args.limits.split(","), work)
        if not args.skip_big:
            big(args.big_rows, args.big_users, args.big_memory_limit, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
