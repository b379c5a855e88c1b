"""The ``migration-analysis`` command: validate, build, figures, report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .validate import DataValidationError, Problem, validate_files


def _csv_paths(args: list[str]) -> list[Path]:
    from .build import find_root

    if not args:
        args = [str(find_root() / "data" / "raw")]
    paths: list[Path] = []
    for arg in args:
        path = Path(arg)
        paths += sorted(path.glob("*.csv")) if path.is_dir() else [path]
    return [_relative(p) for p in paths]


def _relative(path: Path) -> Path:
    """Name files as the user would type them: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
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
    from .build import build_outputs, find_root, write_atomically

    root = Path(args.root) if args.root else find_root()
    outputs = build_outputs(root)
    changed = write_atomically(outputs)
    print(f"built {len(outputs)} files in {root}: {len(changed)} changed, {len(outputs) - len(changed)} unchanged")
    for path in changed:
        print(f"  wrote {path.relative_to(root)}")
    return 0


def cmd_not_yet(args: argparse.Namespace) -> int:
    print(f"migration-analysis {args.command}: not available in this version yet", file=sys.stderr)
    return 2


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migration-analysis",
        description="Validate, build and chart the January 2021 digital-migration dataset.",
    )
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

    for name, what in (("figures", "export the report figures"), ("report", "execute the notebooks into HTML")):
        p = sub.add_parser(name, help=what, description=f"{what.capitalize()} (not available in this version yet).")
        p.add_argument("--out", required=True, help="output folder")
        p.set_defaults(func=cmd_not_yet)
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
    except (OSError, ValueError) as exc:
        print(f"migration-analysis {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
