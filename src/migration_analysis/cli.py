"""The ``migration-analysis`` command (also ``python -m migration_analysis``): validate, build, figures, report,
activity, next-id."""

from __future__ import annotations

import argparse
import csv
import importlib
import re
import signal
import sys
import warnings
from pathlib import Path

from . import __version__
from .activity.extras import MissingExtraError
from .data.validate import DataValidationError, Problem, validate_files

# What `report` needs beyond the core dependencies: the `report` extra.
REPORT_MODULES = ("nbformat", "nbclient", "nbconvert", "ipykernel")


def _csv_paths(args: list[str]) -> list[Path]:
    from .data.build import find_root

    if not args:
        args = [str(find_root(hint="name the CSV files or folders to check") / "data" / "raw")]
    paths: list[Path] = []
    for arg in args:
        path = Path(arg)
        paths += sorted(path.glob("*.csv")) if path.is_dir() else [path]
    return [_relative(p) for p in paths]


def _relative(path: Path) -> Path:
    """Name files as the user would type them: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError, RuntimeError):  # outside the folder, or a link that leads nowhere (a loop)
        return path


def cmd_validate(args: argparse.Namespace) -> int:
    paths = _csv_paths(args.paths)
    if not paths:
        raise DataValidationError([Problem(" ".join(args.paths), 1, "holds no CSV files")])
    parsed = validate_files(paths)
    rows = sum(len(p.rows) for p in parsed.values())
    print(f"OK: {len(parsed)} file{'s' if len(parsed) != 1 else ''}, {rows} rows valid")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .data.build import build_outputs, find_root, write_atomically

    root = Path(args.root) if args.root else find_root()
    outputs = build_outputs(root)
    changed = write_atomically(outputs)
    print(f"built {len(outputs)} files in {root}: {len(changed)} changed, {len(outputs) - len(changed)} unchanged")
    for path in changed:
        print(f"  wrote {path.relative_to(root)}")
    return 0


def numbered_tables() -> dict[str, tuple[str, int]]:
    """The raw tables whose ids are numbered, as {table: (prefix, digits)}, read from the schema's description
    of each table's id column (`ban-0001`…, `cite-0001`…)."""
    from .data import schema

    found = {}
    for table in schema.RAW_TABLES:
        column = next((c for c in table.columns if c.name == "id"), None)
        example = re.search(r"`([a-z]+)-(\d+)`", column.description) if column is not None else None
        if example:
            found[table.name] = (example.group(1), len(example.group(2)))
    return found


# Where a deleted row's id is still named, relative to the repository holding data/raw: ids are never reused.
ID_RECORDS = ("CHANGELOG.md", "docs/corrections.md")


def next_free_id(table: str, raw_dir: Path) -> str:
    """The id a new row of ``table`` gets: one above the highest number its ids use, with their prefix and
    zero padding (ids come in ranges, e.g. surge-0001…, surge-2001…, surge-5000…), skipping any id another
    raw table of the folder holds (ids are unique across all tables) and any id the repository's CHANGELOG.md
    or docs/corrections.md names (a dropped row's id is never reused)."""
    name = table.removesuffix(".csv")
    tables = numbered_tables()
    if name not in tables:
        from .data import schema

        what = "has no numbered ids" if name in schema.TABLES else "is not a table"
        raise ValueError(f"{table!r} {what}; name one of: {', '.join(sorted(tables))}")
    prefix, digits = tables[name]
    used: set[str] = set()
    for other in sorted(tables):
        path = raw_dir / f"{other}.csv"
        if not path.is_file():
            if other == name:
                raise FileNotFoundError(f"{path} does not exist")
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            ids = {row.get("id") or "" for row in csv.DictReader(handle)}
        used |= ids
        if other == name:
            numbers = [m.group(1) for m in map(re.compile(rf"{prefix}-(\d+)").fullmatch, ids) if m]
            highest = max(numbers, key=int, default="0" * digits)
    for record in ID_RECORDS:
        path = raw_dir.resolve().parents[1] / record
        if path.is_file():
            used |= set(re.findall(rf"\b{prefix}-\d+\b", path.read_text(encoding="utf-8")))
    width = len(highest)
    number = int(highest) + 1
    while f"{prefix}-{number:0{width}d}" in used:
        number += 1
    return f"{prefix}-{number:0{width}d}"


def cmd_next_id(args: argparse.Namespace) -> int:
    from .data.build import find_root

    raw_dir = Path(args.data) if args.data else find_root(hint="pass --data") / "data" / "raw"
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"{raw_dir} does not exist")
    print(next_free_id(args.table, raw_dir))
    return 0


def _summary(paths: list[Path], out: Path) -> str:
    kinds: dict[str, int] = {}
    for path in paths:
        kinds[path.suffix.lstrip(".")] = kinds.get(path.suffix.lstrip("."), 0) + 1
    counts = ", ".join(f"{n} {kind.upper()}" for kind, n in sorted(kinds.items()))
    return f"wrote {len(paths)} files to {out}: {counts}"


def cmd_figures(args: argparse.Namespace) -> int:
    from .charts.figures import FIGURES, export_all

    out = Path(args.out)
    refuse_inside(out, *checkout_inputs())
    paths = [path for exported in export_all(out, progress=not args.quiet) for path in exported.paths]
    print(_summary(paths, out))
    for figure in FIGURES:
        print(f"  {figure.name}: {figure.title}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .data.build import find_root

    missing = [name for name in REPORT_MODULES if not _importable(name)]
    if missing:
        raise OSError(f"needs {', '.join(REPORT_MODULES)} (missing: {', '.join(missing)}); "
                      "install them with: pip install 'migration-analysis[report]'")
    from .report import build_report

    out = Path(args.out)
    notebooks = Path(args.notebooks) if args.notebooks else find_root(hint="pass --notebooks") / "notebooks"
    if not notebooks.is_dir():
        raise OSError(f"{notebooks} does not exist; pass --notebooks with a folder of numbered notebooks")
    refuse_inside(out, notebooks, *checkout_inputs())
    paths = build_report(notebooks, out, progress=not args.quiet)
    print(_summary(paths, out))
    print(f"  open {out / 'index.html'}")
    return 0


def _importable(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def cmd_activity(args: argparse.Namespace) -> int:
    from .activity.measures import EmptyDumpWarning, cohort_retention, daily_activity
    from .activity.output import OutputPathError, refuse_output_over_inputs, write_csv

    try:  # before anything is read or written: the output must not replace or join the input
        refuse_output_over_inputs(args.out, args.paths)
    except OutputPathError as exc:
        print(f"migration-analysis activity: {exc}", file=sys.stderr)
        return 2
    options = {"timestamp": args.timestamp, "user": args.user, "engine": args.engine,
               "memory_limit": args.memory_limit, "progress": not args.quiet and None,
               "since": args.since, "until": args.until, "any_date": args.any_date}
    with warnings.catch_warnings():
        warnings.simplefilter("error", EmptyDumpWarning)  # no table of nothing under the output's name
        try:
            if args.retention:
                table = cohort_retention(args.paths, cohort_start=args.retention[0], cohort_end=args.retention[1],
                                         every=int(args.every) if args.every.isdigit() else args.every,
                                         periods=args.periods, **options)
                what = f"{len(table)} periods of the cohort first seen {args.retention[0]} to {args.retention[1]}"
            else:
                table = daily_activity(args.paths, platform=args.platform, **options)
                what = f"{len(table)} days" + (f" × platforms ({table['platform'].nunique()})" if args.platform else "")
        except EmptyDumpWarning as exc:
            print(f"migration-analysis activity: {exc}", file=sys.stderr)
            return 1
    # A SIGTERM while writing unwinds (removing the temporary file) instead of killing the process outright.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        write_csv(table, args.out)
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(f"wrote {args.out}: {what}")
    return 0


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


# What the data is, for the help texts: the years are those of the waves in data/raw/waves.csv (a test checks it).
DATASET = ("the migration-analysis dataset: account bans, app-store and infrastructure removals, user surges "
           "and context events across the platform migration waves of 2018–2026, each fact with the pages that "
           "state it")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migration-analysis",
        description=f"Validate, build, chart and report {DATASET}.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check CSV files against the schema",
                       description="Check CSV files (named after their tables, e.g. account_bans.csv) against "
                       "the schema. Prints one line per problem as FILE:LINE: column 'X': what is wrong, and "
                       "exits 1 if there is any. With no PATH, checks data/raw of the repository.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="CSV files or folders of them (default: data/raw)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("build", help="validate data/raw and write data/processed",
                       description="Validate data/raw, then write data/processed (typed, sorted tables plus "
                       "events.csv), data/datapackage.json and docs/data_dictionary.md. Nothing is written "
                       "when the raw data is invalid; rebuilding unchanged data changes no byte.")
    p.add_argument("--root", help="repository folder holding data/raw (default: found from the current folder)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("figures", help="export the report figures",
                       description="Draw the report's figure set from the shipped data and write each figure as "
                       "PNG, SVG and PDF (byte-reproducible) plus a CSV of the plotted data.")
    p.add_argument("--out", required=True, help="output folder (created if missing)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_figures)

    p = sub.add_parser("report", help="execute the notebooks into an HTML report",
                       description="Execute every numbered notebook top to bottom and write one HTML page per "
                       "notebook without code cells, the figure set under OUT/figures, and OUT/index.html.")
    p.add_argument("--out", required=True, help="output folder (created if missing)")
    p.add_argument("--notebooks", help="folder of numbered notebooks (default: notebooks/ of the repository)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("activity", help="daily posts, active and new users from a message-level dump",
                       description="Read a message-level dump (CSV, NDJSON plain or .gz, Parquet; files, folders "
                       "or glob patterns) and write one row per UTC day: date,posts,active_users,new_users "
                       "(with --platform, a platform column after date), sorted by date. With --retention, "
                       "write the cohort table instead: of the users first seen from START to END, the share "
                       "active in each later period. Runs out of core on DuckDB, or on Spark SQL.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="dump files, folders or glob patterns")
    p.add_argument("--timestamp", required=True, metavar="COL",
                   help="column of ISO-8601 times (no zone means UTC) or epoch seconds/milliseconds "
                   "(the accepted forms: docs/activity.md)")
    p.add_argument("--user", required=True, metavar="COL", help="column naming the account")
    p.add_argument("--platform", metavar="COL", help="column naming the platform (one series per platform)")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb", help="query engine (default: duckdb)")
    p.add_argument("--memory-limit", metavar="SIZE", help="e.g. 2GB: DuckDB spills to a temporary folder above it "
                   "(default 350MB; for Spark, the local driver's memory)")
    p.add_argument("--retention", nargs=2, metavar=("START", "END"),
                   help="write the retention table of the users first seen from START to END (YYYY-MM-DD)")
    p.add_argument("--every", default="week", help="retention period: week, day or a number of days (default: week)")
    p.add_argument("--periods", type=int, default=12, help="retention periods after END (default: 12)")
    window = p.add_mutually_exclusive_group()
    window.add_argument("--since", metavar="DATE", help="first accepted day (default 2000-01-01): an earlier post is an error")
    window.add_argument("--any-date", action="store_true", help="accept posts of any date (no --since/--until window)")
    p.add_argument("--until", metavar="DATE", help="last accepted day (default: the end of next year): a later post is "
                   "an error")
    p.add_argument("--out", required=True, metavar="FILE.csv", help="CSV file to write (not one of the inputs, nor inside "
                   "an input folder); replaced whole, only once the table is complete")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_activity)

    p = sub.add_parser("next-id", help="print the id a new row of a table gets",
                       description="Print the next free id of a table of data/raw, for a new row: one above the "
                       "highest number the table's ids use, with their prefix and zero padding (e.g. surge-0042 "
                       "after surge-0041), not used by any other table and not named in the repository's CHANGELOG.md "
                       "or docs/corrections.md, where a dropped row's id stays recorded (ids are never reused).")
    p.add_argument("table", metavar="TABLE", help=f"a table with numbered ids: {', '.join(numbered_tables())}")
    p.add_argument("--data", metavar="DIR", help="folder of raw CSVs (default: data/raw of the repository)")
    p.set_defaults(func=cmd_next_id)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} found", file=sys.stderr)
        return 1
    # RuntimeError: a failed notebook, an interrupted build; MissingExtraError: what to install, in one line.
    except (OSError, ValueError, RuntimeError, MissingExtraError) as exc:
        print(f"migration-analysis {args.command}: {exc}", file=sys.stderr)
        return 1


def checkout_inputs() -> list[Path]:
    """The repository's data/ and notebooks/ when run inside a checkout (none outside one)."""
    from .data.build import find_root

    try:
        root = find_root()
    except FileNotFoundError:
        return []
    return [root / "data", root / "notebooks"]


def refuse_inside(out: Path, *inputs: Path) -> None:
    """An output folder that is, holds or lies inside an input would overwrite what it is made from."""
    target = out.resolve()
    for given in inputs:
        source = given.resolve()
        if target == source or source in target.parents or target in source.parents:
            raise ValueError(f"--out {out} would write over {given}, an input; choose a folder outside it")


if __name__ == "__main__":
    sys.exit(main())
