"""Check CSV files against the schema and report every problem at once.

Each problem reads ``FILE:LINE: column 'X': what is wrong (value 'v')``, with LINE as a text editor
shows it (a quoted cell spanning lines is reported at the line where its row starts).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .schema import REGIONS, TABLES, Column, Table, all_tables

KNOWN_TABLES = {t.name: t for t in all_tables()}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_SHOWN_VALUE = 60


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: "
        if self.column is not None:
            where += f"column '{self.column}': "
        text = where + self.message
        if self.value is not None:
            shown = self.value if len(self.value) <= MAX_SHOWN_VALUE else self.value[:MAX_SHOWN_VALUE] + "…"
            text += f" (value {shown!r})" if "'" in shown else f" (value '{shown}')"
        return text


class DataValidationError(ValueError):
    """Raised when data does not match the schema; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        super().__init__("\n".join([head, *map(str, self.problems)]))


@dataclass
class ParsedTable:
    """The rows of one file as strings, with the editor line where each row starts."""

    table: Table
    path: str
    header: list[str]
    rows: list[dict[str, str]]
    lines: list[int]


def table_for_path(path: str | Path) -> Table | None:
    return KNOWN_TABLES.get(Path(path).stem)


# --- reading -------------------------------------------------------------------------------------

def _visible(text: str) -> str:
    """Show undecodable bytes (kept as surrogates) as \\xNN so a message can name them."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _bad_bytes(text: str) -> str | None:
    found = [f"0x{ord(ch) - 0xDC00:02x}" for ch in text if "\udc80" <= ch <= "\udcff"]
    return ", ".join(dict.fromkeys(found)) if found else None


def parse_csv(data: bytes, table: Table, name: str) -> tuple[ParsedTable, list[Problem]]:
    """Split ``data`` into rows; report encoding, header and row-shape problems."""
    problems: list[Problem] = []
    # utf-8-sig drops the BOM Excel writes; surrogateescape keeps bad bytes so we can say where they are.
    text = data.decode("utf-8-sig", "surrogateescape")
    parsed = ParsedTable(table, name, [], [], [])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return parsed, [Problem(name, line, "contains a NUL byte; is this a CSV text file?")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start_line = 1
    try:
        for record in reader:
            line, start_line = start_line, reader.line_num + 1
            if not record or record == [""]:
                continue  # blank lines are harmless
            for i, cell in enumerate(record):
                bad = _bad_bytes(cell)
                if bad:
                    col = parsed.header[i] if parsed.header and i < len(parsed.header) else None
                    problems.append(Problem(name, line, f"not valid UTF-8 (byte {bad}); save the file as UTF-8", col, _visible(cell)))
                    record[i] = _visible(cell)
            if not parsed.header:
                parsed.header = record
                problems += _check_header(table, record, name, line)
                continue
            if len(record) != len(parsed.header):
                few = "few" if len(record) < len(parsed.header) else "many"
                problems.append(Problem(name, line, f"too {few} fields: {len(record)} instead of {len(parsed.header)}"))
                continue
            parsed.rows.append(dict(zip(parsed.header, record)))
            parsed.lines.append(line)
    except csv.Error as exc:
        problems.append(Problem(name, start_line, f"cannot be read as CSV: {exc}"))
    if not parsed.header:
        problems.append(Problem(name, 1, "is empty: expected a header row with " + ", ".join(table.column_names)))
    return parsed, problems


def _check_header(table: Table, header: list[str], name: str, line: int) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(Problem(name, line, "appears twice in the header", col))
        seen.add(col)
        if col not in table.column_names:
            problems.append(Problem(name, line, f"is not a column of {table.name} (expected one of: {', '.join(table.column_names)})", col))
    for col in table.columns:
        if col.name not in seen:
            problems.append(Problem(name, line, "is missing from the header", col.name))
    return problems


# --- cells ---------------------------------------------------------------------------------------

def check_cell(col: Column, value: str) -> str | None:
    """Return what is wrong with one cell, or None."""
    if value == "":
        return "is required but empty" if col.required else None
    if value != value.strip():
        return "has leading or trailing spaces"
    if value.startswith(FORMULA_PREFIXES) and col.kind not in ("integer", "number"):
        return "starts with '=', '+', '-' or '@', which spreadsheets run as a formula; reword it"
    kind = col.kind
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "is not an ISO date YYYY-MM-DD"
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "is not a date that exists"
    elif kind == "integer":
        if not re.fullmatch(r"\d+", value):
            return "is not a whole number of zero or more (digits only, no separators)"
    elif kind == "number":
        if not re.fullmatch(r"\d+(\.\d+)?", value):
            return "is not a number of zero or more (digits and an optional decimal point)"
        if not math.isfinite(float(value)):
            return "is not a finite number"
    elif kind == "boolean":
        if value not in ("true", "false"):
            return "must be 'true' or 'false'"
    elif kind == "enum":
        if value not in col.enum:
            return "is not one of: " + ", ".join(col.enum)
    elif kind == "url":
        if not re.fullmatch(r"https?://[^\s/]+\.[^\s/]+(/\S*)?", value):
            return "is not an http(s) URL"
    elif kind == "year":
        if not (re.fullmatch(r"\d{4}", value) and 1800 <= int(value) <= 2100):
            return "is not a four-digit year"
    elif kind == "geography":
        if value not in REGIONS and not re.fullmatch(r"[A-Z]{2}", value):
            return "is not 'worldwide', an ISO country code (US) or one of: " + ", ".join(REGIONS[1:])
    if col.pattern and kind != "geography" and not re.fullmatch(col.pattern, value):
        return "is not a lowercase slug (letters, digits, single underscores)" if kind == "slug" else f"does not match {col.pattern}"
    return None


def check_rows(parsed: ParsedTable) -> list[Problem]:
    """Cell checks, per-row rules, unique ids and repeated facts within one table."""
    table, name = parsed.table, parsed.path
    columns = [c for c in table.columns if c.name in parsed.header]
    problems: list[Problem] = []
    first_line_of_id: dict[str, int] = {}
    first_line_of_fact: dict[tuple, int] = {}
    for row, line in zip(parsed.rows, parsed.lines):
        for col in columns:
            wrong = check_cell(col, row[col.name])
            if wrong:
                problems.append(Problem(name, line, wrong, col.name, row[col.name]))
        for rule in table.rules:
            problems += [Problem(name, line, msg, col, val) for col, msg, val in rule(row)]
        key_col = "id" if "id" in row else None
        if key_col and row[key_col]:
            if row[key_col] in first_line_of_id:
                problems.append(Problem(name, line, f"duplicates the id on line {first_line_of_id[row[key_col]]}", key_col, row[key_col]))
            else:
                first_line_of_id[row[key_col]] = line
        # The same fact from the same source twice: every column equal but id, accessed and notes.
        fact = tuple(v for k, v in sorted(row.items()) if k not in ("id", "accessed", "notes"))
        if fact in first_line_of_fact:
            problems.append(Problem(name, line, f"states the same fact from the same source as line {first_line_of_fact[fact]}", "id", row.get("id", "")))
        else:
            first_line_of_fact[fact] = line
    return problems


def check_references(parsed: ParsedTable, platforms: set[str], platforms_file: str) -> list[Problem]:
    problems = []
    for col in parsed.table.columns:
        if col.references != "platforms.platform" or col.name not in parsed.header:
            continue
        for row, line in zip(parsed.rows, parsed.lines):
            value = row[col.name]
            if value and value not in platforms:
                problems.append(Problem(parsed.path, line, f"is not a platform in {platforms_file}", col.name, value))
    return problems


# --- files and folders ---------------------------------------------------------------------------

def read_file(path: str | Path, table: Table | None = None) -> tuple[ParsedTable | None, list[Problem]]:
    name = str(path)
    table = table or table_for_path(path)
    if table is None:
        return None, [Problem(name, 1, "is not a known table; name it one of: " + ", ".join(f"{t}.csv" for t in KNOWN_TABLES))]
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, f"cannot be read: {exc.strerror or exc}")]
    parsed, problems = parse_csv(data, table, name)
    return parsed, problems + check_rows(parsed)


def validate_files(paths: list[str | Path]) -> dict[str, ParsedTable]:
    """Validate CSV files named after their tables; raise DataValidationError listing every problem.

    Platform slugs are checked against a platforms.csv among ``paths`` or beside the files.
    """
    problems: list[Problem] = []
    parsed_by_table: dict[str, ParsedTable] = {}
    for path in paths:
        parsed, found = read_file(path)
        problems += found
        if parsed is not None:
            parsed_by_table[parsed.table.name] = parsed
    for parsed in list(parsed_by_table.values()):
        platforms = parsed_by_table.get("platforms")
        if platforms is None:
            beside = Path(parsed.path).with_name("platforms.csv")
            if not beside.exists():
                continue
            platforms, found = read_file(beside)
            problems += [p for p in found if p not in problems]
            if platforms is None:
                continue
        slugs = {row.get("platform", "") for row in platforms.rows}
        problems += check_references(parsed, slugs, platforms.path)
    if problems:
        raise DataValidationError(problems)
    return parsed_by_table


def validate_dir(data_dir: str | Path) -> dict[str, ParsedTable]:
    """Validate every raw table in ``data_dir`` (all five files must be there)."""
    data_dir = Path(data_dir)
    missing = [t.filename for t in TABLES.values() if not (data_dir / t.filename).exists()]
    if missing:
        raise DataValidationError([Problem(str(data_dir / m), 1, "is missing") for m in missing])
    return validate_files([data_dir / t.filename for t in TABLES.values()])
