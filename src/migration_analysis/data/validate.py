"""Check CSV files against the schema and report every problem at once.

Each problem reads ``FILE:LINE: column 'X': what is wrong (value 'v')``, with LINE as a text editor
shows it (a quoted cell spanning lines is reported at the line where its row starts). Bad input is
never a traceback: a file that cannot be opened or parsed, a missing column, a cell too long for
Python's csv module, each is one problem, and what only follows from it is not reported.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .kinds import kind_of
from .schema import (
    FACT_DATE_COLUMN,
    FACT_TABLES,
    FORMULA_PREFIXES,
    TABLES,
    WAVES,
    Column,
    Table,
    _iso,
    all_tables,
)

KNOWN_TABLES = {t.name: t for t in all_tables()}

MAX_SHOWN_VALUE = 60
# The longest cell accepted: Python's csv module stops at this length by default, so a longer cell would
# break other readers of the file. Validation reads past it (to say where it is) and goes on.
MAX_CELL_CHARS = 131_072


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
            where += f"column {_quoted(self.column)}: "
        text = where + self.message
        if self.value is not None:
            text += f" (value {_quoted(self.value)})"
        return text


def _quoted(text: str) -> str:
    """``text`` in quotes, cut to MAX_SHOWN_VALUE characters; a quote, newline or other unprintable character
    is escaped, so a problem stays one line."""
    shown = text if len(text) <= MAX_SHOWN_VALUE else text[:MAX_SHOWN_VALUE] + "…"
    return repr(shown) if "'" in shown or not shown.isprintable() else f"'{shown}'"


class DataValidationError(ValueError):
    """Raised when data does not match the schema; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        super().__init__("\n".join([head, *map(str, self.problems)]))


@dataclass
class ParsedTable:
    """The rows of one file as strings, with the editor line where each row starts.

    ``complete`` is False when the file could not be read through (a broken quote, a NUL byte, no header):
    its rows are not all there, so nothing is said to be missing from it. ``skipped`` holds the rows of
    the wrong width, as far as the header names their cells: a reference to one is not reported. A table
    with a header and no rows is complete and ``empty``: a valid table, unless other rows need it.
    """

    table: Table
    path: str
    header: list[str]
    rows: list[dict[str, str]]
    lines: list[int]
    # Cells already reported while reading, as (line, column): not checked again.
    reported: set[tuple[int, str | None]] = field(default_factory=set)
    complete: bool = True
    skipped: list[dict[str, str]] = field(default_factory=list)
    header_line: int = 1

    @property
    def empty(self) -> bool:
        """A header and no rows (not even rows of the wrong width)."""
        return self.complete and bool(self.header) and not self.rows and not self.skipped

    def has(self, *columns: str) -> bool:
        """Whether the header names every one of ``columns`` once (a rule that needs a missing or doubled one
        is skipped)."""
        return all(self.header.count(c) == 1 for c in columns)

    def values(self, column: str) -> set[str]:
        """Every value of ``column``, in the rows read and in the rows skipped for their width."""
        return {row[column] for row in self.rows} | {row.get(column, "") for row in self.skipped}


def table_for_path(path: str | Path) -> Table | None:
    return KNOWN_TABLES.get(Path(path).stem)


# --- reading -------------------------------------------------------------------------------------

def _visible(text: str) -> str:
    """Show undecodable bytes (kept as surrogates) as \\xNN so a message can name them."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _bad_bytes(text: str) -> str | None:
    found = [f"0x{ord(ch) - 0xDC00:02x}" for ch in text if "\udc80" <= ch <= "\udcff"]
    return ", ".join(dict.fromkeys(found)) if found else None


_FIELD_LIMIT_LOCK = threading.Lock()


def csv_records(text: str) -> tuple[list[tuple[int, list[str]]], tuple[int, str] | None]:
    """Every non-blank record of ``text`` with the editor line where it starts, and (line, why) if reading
    stopped early (an unclosed quote), else None.

    Cells of any length are read (callers say what is too long): the csv module's global field limit is
    lifted while reading and put back after.
    """
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    with _FIELD_LIMIT_LOCK:
        limit = csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        try:
            for record in reader:
                if record and record != [""]:  # blank lines are harmless
                    records.append((start, record))
                start = reader.line_num + 1
        except csv.Error as exc:
            return records, (start, str(exc))
        finally:
            csv.field_size_limit(limit)
    return records, None


def parse_csv(data: bytes, table: Table, name: str) -> tuple[ParsedTable, list[Problem]]:
    """Split ``data`` into rows; report encoding, header and row-shape problems."""
    problems: list[Problem] = []
    # utf-8-sig drops the BOM Excel writes; surrogateescape keeps bad bytes so we can say where they are.
    text = data.decode("utf-8-sig", "surrogateescape")
    parsed = ParsedTable(table, name, [], [], [])
    if "\x00" in text:
        parsed.complete = False
        line = text[: text.index("\x00")].count("\n") + 1
        return parsed, [Problem(name, line, "contains a NUL byte; is this a CSV text file?")]
    records, stopped = csv_records(text)
    for line, record in records:
        for i, cell in enumerate(record):
            col = parsed.header[i] if parsed.header and i < len(parsed.header) else None
            bad = _bad_bytes(cell)
            if bad:
                problems.append(Problem(name, line, f"not valid UTF-8 (byte {bad}); save the file as UTF-8",
                                        col, _visible(cell)))
                record[i] = _visible(cell)
            if len(cell) > MAX_CELL_CHARS:
                problems.append(Problem(name, line, f"is {len(cell):,} characters long; the limit is {MAX_CELL_CHARS:,}",
                                        col, record[i]))
                parsed.reported.add((line, col))
        if not parsed.header:
            parsed.header, parsed.header_line = record, line
            if not set(record) & set(table.column_names):
                parsed.complete = False
                return parsed, problems + [Problem(name, line, f"has none of the columns of {table.name} in its header "
                                                   f"(expected: {', '.join(table.column_names)}); is it a CSV file "
                                                   "with commas?")]
            problems += _check_header(table, record, name, line)
            continue
        if len(record) != len(parsed.header):
            few = "few" if len(record) < len(parsed.header) else "many"
            problems.append(Problem(name, line, f"too {few} fields: {len(record)} instead of {len(parsed.header)}"))
            parsed.skipped.append(dict(zip(parsed.header, record)))
            continue
        parsed.rows.append(dict(zip(parsed.header, record)))
        parsed.lines.append(line)
    # A file that cannot be read through is named once; what it holds is then unknown (see ParsedTable).
    parsed.complete = not stopped and bool(parsed.header)
    if stopped:
        problems.append(Problem(name, stopped[0], f"cannot be read as CSV: {stopped[1]}"))
    elif not parsed.header:
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
            problems.append(Problem(name, line, f"is not a column of {table.name} (expected one of: "
                                                f"{', '.join(table.column_names)})", col))
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
    kind = kind_of(col)
    if value.startswith(FORMULA_PREFIXES) and not kind.numeric:
        return "starts with '=', '+', '-' or '@', which spreadsheets run as a formula; reword it"
    return kind.problem(col, value)


def _repeat_key(parsed: ParsedTable, row: dict[str, str]) -> tuple[tuple, str] | None:
    """What may appear only once per table, and what to say when it appears again.

    None when nothing may not repeat, or when a column the comparison needs is missing from the header
    (two rows that differ only there would look the same)."""
    table = parsed.table
    if table.name == "citations":
        if not parsed.has("fact_id", "source_url"):
            return None
        return (row.get("fact_id"), row.get("source_url")), "cites the same page for the same fact as line {line}"
    if table.name in ("publishers", "waves") or not parsed.has(*table.column_names):
        return None
    # A fact table: every column equal but the id, the notes and the wave is the same fact stored twice.
    fact = tuple(v for k, v in sorted(row.items()) if k not in ("id", "notes", "wave"))
    return fact, "states the same fact as line {line}; keep one fact and cite every page for it in citations.csv"


def check_rows(parsed: ParsedTable) -> list[Problem]:
    """Cell checks, per-row rules, unique keys and repeated facts or citations within one table."""
    table, name = parsed.table, parsed.path
    columns = [c for c in table.columns if parsed.has(c.name)]
    problems: list[Problem] = []
    first_line_of_key: dict[str, int] = {}
    first_line_of_fact: dict[tuple, int] = {}
    first_line_of_domain: dict[str, int] = {}
    for row, line in zip(parsed.rows, parsed.lines):
        for col in columns:
            if (line, col.name) in parsed.reported:
                continue
            wrong = check_cell(col, row[col.name])
            if wrong:
                problems.append(Problem(name, line, wrong, col.name, row[col.name]))
        for rule in table.rules:
            problems += [Problem(name, line, msg, col, val) for col, msg, val in rule(row)]
        key = row.get(table.key, "")
        if key:
            if key in first_line_of_key:
                problems.append(Problem(name, line, f"duplicates the {table.key} on line {first_line_of_key[key]}",
                                        table.key, key))
            else:
                first_line_of_key[key] = line
        repeat = _repeat_key(parsed, row)
        if repeat:
            fact, message = repeat
            if fact in first_line_of_fact:
                problems.append(Problem(name, line, message.format(line=first_line_of_fact[fact]), "id", row.get("id", "")))
            else:
                first_line_of_fact[fact] = line
        for domain in _domains(row.get("domains", "")):
            if domain in first_line_of_domain:
                problems.append(Problem(name, line, f"lists a domain already listed on line {first_line_of_domain[domain]}",
                                        "domains", domain))
            else:
                first_line_of_domain[domain] = line
    return problems


def _domains(text: str) -> list[str]:
    return [_bare_host(h) for h in text.split(" ") if h]


def _bare_host(host: str) -> str:
    return host.lower().removeprefix("www.")


def _url_host(url: str) -> str:
    from urllib.parse import urlsplit

    return _bare_host(urlsplit(url).hostname or "")


def reference_values(known: dict[str, ParsedTable], reference: str) -> set[str] | None:
    """The values a referencing cell may take (``platforms.platform``, ``facts.id``), or None when they
    cannot be known: the table is not there or could not be read through, or its column is missing."""
    column = reference.split(".")[1]
    tables = _referenced(known, reference)
    if any(parsed is None or not parsed.complete or not parsed.has(column) for parsed in tables):
        return None
    return set().union(*(parsed.values(column) for parsed in tables))


def _referenced(known: dict[str, ParsedTable], reference: str) -> list[ParsedTable | None]:
    """The tables a reference (``platforms.platform``, ``facts.id``) points into; None for one not there."""
    target = reference.split(".")[0]
    return [known.get(name) for name in ([t.name for t in FACT_TABLES] if target == "facts" else [target])]


def _id_prefix(table: Table) -> str | None:
    """The prefix of a table's numbered ids (``ban-`` for ``ban-0001``), as its id column describes them."""
    column = next((c for c in table.columns if c.name == "id"), None)
    found = re.search(r"`([a-z]+-)\d+`", column.description) if column is not None else None
    return found[1] if found else None


def _could_hold(parsed: ParsedTable, value: str) -> bool:
    """Whether ``value``, found nowhere, could be a row of ``parsed`` (its id prefix, or no other table's)."""
    prefix = _id_prefix(parsed.table)
    if prefix:
        return value.startswith(prefix)
    return not any(other and value.startswith(other) for other in map(_id_prefix, FACT_TABLES))


def empty_table_problem(parsed: ParsedTable, following: list[Problem]) -> Problem:
    """One line naming a table with no rows, in place of the problems that follow from it (every reference
    into it, every fact without a citation)."""
    count = len(following)
    return Problem(parsed.path, parsed.header_line, f"has a header but no rows, and {count} "
                   f"{'problems follow' if count != 1 else 'problem follows'} from that (the first: {following[0]})")


def _facts(tables: dict[str, ParsedTable]) -> dict[str, tuple[ParsedTable, dict[str, str]]]:
    """Every fact by id, with the table it is in (fact tables without an ``id`` column are left out)."""
    return {row["id"]: (parsed, row) for parsed in tables.values() if parsed.table in FACT_TABLES and parsed.has("id")
            for row in parsed.rows}


def check_references(parsed: ParsedTable, keys: dict[str, set[str] | None], files: dict[str, str]) -> list[Problem]:
    """Every cell of a referencing column names a row of the table it refers to (when those rows are known).

    ``keys`` maps a reference (``platforms.platform``) to its values (see ``reference_values``)."""
    problems = []
    for col in parsed.table.columns:
        if not col.references or not parsed.has(col.name) or keys.get(col.references) is None:
            continue
        target = col.references.split(".")[0]
        allowed = keys[col.references]
        what = {"platforms": "a platform", "publishers": "a publisher", "facts": "the id of a fact",
                "waves": "a wave"}.get(target, f"a {col.references.split('.')[1]} of {target}")
        for row, line in zip(parsed.rows, parsed.lines):
            values = row[col.name].split(" ") if kind_of(col).is_list else [row[col.name]]
            for value in values:
                if value and value not in allowed:
                    problems.append(Problem(parsed.path, line, f"is not {what} in {files[target]}", col.name, value))
    return problems


def check_waves(waves: ParsedTable, tables: dict[str, ParsedTable]) -> list[Problem]:
    """A wave's triggers are dated facts of that wave; the wave starts on the earliest trigger's day and ends
    no earlier than the latest one's (its window contains its triggers)."""
    problems: list[Problem] = []
    if not waves.has("trigger_ids"):
        return problems
    facts = _facts(tables)
    for row, line in zip(waves.rows, waves.lines):
        # The dates of the triggers; None once one of them cannot be dated (a problem reported elsewhere).
        dates: list[str] | None = []
        for fact_id in row["trigger_ids"].split(" "):
            parsed, fact = facts.get(fact_id, (None, None))
            if parsed is None:
                dates = None  # reported by check_references
            elif waves.has("wave") and parsed.has("wave") and fact["wave"] != row["wave"]:
                problems.append(Problem(waves.path, line, f"names a trigger whose wave is {fact['wave'] or 'empty'!r}, "
                                        f"not {row['wave']!r}", "trigger_ids", fact_id))
                dates = None
            elif "date" not in parsed.table.column_names:
                problems.append(Problem(waves.path, line, "names a trigger that has no date (a surge figure or a "
                                        "platform); triggers are bans, removals or context events", "trigger_ids", fact_id))
                dates = None
            elif dates is not None and parsed.has("date") and _iso(fact["date"]):
                dates.append((fact["date"], fact_id))
            else:
                dates = None  # its date column is missing, or its date is empty or wrong (reported by check_rows)
        if not dates:
            continue
        start, end = (_iso(row[c]) if waves.has(c) else None for c in ("start", "end"))
        if start and min(dates)[0] != row["start"]:
            problems.append(Problem(waves.path, line, f"is not the date of the earliest trigger ({min(dates)[0]})", "start",
                                    row["start"]))
        last, last_id = max(dates)
        if end and end < _iso(last) and not (start and end < start):  # an end before the start is said once
            problems.append(Problem(waves.path, line, f"is before {last}, the date of its trigger {last_id}; a wave's "
                                    "window contains its triggers", "end", row["end"]))
    return problems


# Two rows whose values differ by no more than this share are most likely one figure recorded twice.
NEAR_DUPLICATE_SHARE = 0.02


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def check_surges(surges: ParsedTable, tables: dict[str, ParsedTable]) -> list[Problem]:
    """Surge figures: none before its platform existed, and none repeating another's figure.

    A period that starts before the platform's founding year cannot be a count of its users (a
    baseline from then would make any later figure look like a surge). A figure within 2% of another
    of the same platform, metric and period is most likely one figure quoted by two pages: keep one
    fact and cite both pages.
    """
    problems: list[Problem] = []
    platforms = tables.get("platforms")
    founded = {}
    if platforms is not None and platforms.has("platform", "founded") and surges.has("platform", "period_start"):
        founded = {row["platform"]: row["founded"] for row in platforms.rows}
    compare = surges.has("platform", "metric", "period_start", "period_end", "value")
    seen: dict[tuple, list[tuple[float, str, int]]] = {}
    for row, line in zip(surges.rows, surges.lines):
        start, year = row.get("period_start", ""), founded.get(row.get("platform"), "")
        if start[:4].isdigit() and year.isdigit() and int(start[:4]) < int(year):
            problems.append(Problem(surges.path, line, f"is before {row['platform']} was founded ({year}, platforms.csv)",
                                    "period_start", start))
        value = _number(row["value"]) if compare else None
        if value is None:
            continue
        key = (row["platform"], row["metric"], start, row["period_end"])
        for other, other_id, other_line in seen.get(key, []):
            if abs(value - other) <= NEAR_DUPLICATE_SHARE * max(abs(value), abs(other)):
                problems.append(Problem(surges.path, line, f"is within 2% of {other_id} (line {other_line}), of the same "
                                        "platform, metric and period: if one figure is quoted by two pages, keep one fact "
                                        "and cite both pages", "value", row["value"]))
                break
        seen.setdefault(key, []).append((value, row.get("id", ""), line))
    return problems


def check_citations(citations: ParsedTable, tables: dict[str, ParsedTable]) -> list[Problem]:
    """Cross-table rules of the evidence: hosts match publishers, reported values differ from the fact."""
    problems: list[Problem] = []
    name = citations.path
    publishers = tables.get("publishers")
    if publishers is not None and publishers.has("publisher", "domains") and citations.has("publisher", "source_url"):
        domains = {row["publisher"]: set(_domains(row["domains"])) for row in publishers.rows}
        for row, line in zip(citations.rows, citations.lines):
            allowed = domains.get(row["publisher"])
            host = _url_host(row["source_url"])
            if allowed is not None and host and host not in allowed:
                problems.append(Problem(name, line, f"is on {host}, which is not one of publisher "
                                        f"'{row['publisher']}''s domains ({' '.join(sorted(allowed))})", "source_url",
                                        row["source_url"]))
    if not citations.has("fact_id"):
        return problems
    facts = _facts(tables)
    for row, line in zip(citations.rows, citations.lines):
        parsed, fact = facts.get(row["fact_id"], (None, None))
        if parsed is None:
            continue
        table = parsed.table.name
        if row.get("reported_date"):
            column = FACT_DATE_COLUMN.get(table)
            if column is None:
                problems.append(Problem(name, line, f"is set, but facts in {table} have no date", "reported_date",
                                        row["reported_date"]))
            elif parsed.has(column) and row["reported_date"] == fact[column]:
                problems.append(Problem(name, line, f"equals the fact's {column}; leave it empty when the page agrees",
                                        "reported_date", row["reported_date"]))
        if row.get("reported_value"):
            values = [fact[c] for c in ("value", "accounts_affected", "followers") if fact.get(c)]
            if table not in ("user_surges", "account_bans"):
                problems.append(Problem(name, line, f"is set, but facts in {table} have no value", "reported_value",
                                        row["reported_value"]))
            elif _same_number(row["reported_value"], values):
                problems.append(Problem(name, line, "equals the fact's value; leave it empty when the page agrees",
                                        "reported_value", row["reported_value"]))
    return problems


def _same_number(text: str, values: list[str]) -> bool:
    try:
        return any(float(text) == float(v) for v in values)
    except ValueError:
        return False


def check_cited(tables: dict[str, ParsedTable], citations: ParsedTable) -> list[Problem]:
    """Every fact has at least one citation (said only when every citation could be read; once, naming
    citations.csv, when it has no rows)."""
    if not citations.complete or not citations.has("fact_id"):
        return []
    cited = citations.values("fact_id")
    uncited = [Problem(parsed.path, line, f"has no citation in {citations.path}", "id", row["id"])
               for parsed in tables.values() if parsed.table in FACT_TABLES and parsed.has("id")
               for row, line in zip(parsed.rows, parsed.lines) if row["id"] and row["id"] not in cited]
    return [empty_table_problem(citations, uncited)] if uncited and citations.empty else uncited


def check_read_dates(tables: dict[str, ParsedTable], citations: ParsedTable) -> list[Problem]:
    """A fact is not dated after the last day a page citing it was read: no page can report a later day.

    Every date (and year) column of the fact tables counts: ``date``, ``period_start``/``period_end``,
    ``founded``. A fact with a citation whose ``accessed`` is not a date is left to that citation's problem."""
    problems: list[Problem] = []
    if not citations.complete or not citations.has("fact_id", "accessed"):
        return problems
    # A fact with a citation that could not be read may have been read later: it is not checked.
    latest: dict[str, tuple[str, int] | None] = {row.get("fact_id", ""): None for row in citations.skipped}
    for row, line in zip(citations.rows, citations.lines):
        fact_id, accessed = row["fact_id"], row["accessed"]
        if fact_id in latest and latest[fact_id] is None:
            continue
        if not _iso(accessed):
            latest[fact_id] = None
        elif fact_id not in latest or accessed > latest[fact_id][0]:
            latest[fact_id] = (accessed, line)
    for parsed in tables.values():
        if parsed.table not in FACT_TABLES or not parsed.has("id"):
            continue
        dated = [c for c in parsed.table.columns if c.kind in ("date", "year") and parsed.has(c.name)]
        for row, line in zip(parsed.rows, parsed.lines):
            read = latest.get(row["id"])
            if read is None:
                continue
            for col in dated:
                value = row[col.name]
                if value and check_cell(col, value) is None and value > read[0][: len(value)]:
                    problems.append(Problem(parsed.path, line, "is after the last day a page citing it was read "
                                            f"({citations.path}:{read[1]}, accessed {read[0]})", col.name, value))
    return problems


def check_unique_ids(tables: dict[str, ParsedTable]) -> list[Problem]:
    """An id names one fact or citation across all tables."""
    problems, first = [], {}
    for parsed in tables.values():
        if parsed.table.key != "id":
            continue
        for row, line in zip(parsed.rows, parsed.lines):
            where = first.setdefault(row.get("id", ""), (parsed.path, line))
            if row.get("id") and where[0] != parsed.path:
                problems.append(Problem(parsed.path, line, f"is already the id of a row in {where[0]} (line {where[1]})",
                                        "id", row["id"]))
    return problems


# --- files and folders ---------------------------------------------------------------------------

def _unreadable(path: Path) -> str | None:
    """Why ``path`` (which exists, perhaps as a broken link) cannot be read as a file, or None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ENOENT and path.is_symlink():
            return f"it is a link to {os.readlink(path)}, which does not exist"
        return exc.strerror or str(exc)
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    return None if stat.S_ISREG(mode) else "it is not a regular file"


def read_file(path: str | Path, table: Table | None = None) -> tuple[ParsedTable | None, list[Problem]]:
    name = str(path)
    if not os.path.lexists(path):
        return None, [Problem(name, 1, "does not exist")]
    table = table or table_for_path(path)
    if table is None:
        return None, [Problem(name, 1, "is not a known table; name it one of: " + ", ".join(f"{t}.csv" for t in KNOWN_TABLES))]
    try:
        why = _unreadable(Path(path))
        data = b"" if why else Path(path).read_bytes()
    except OSError as exc:
        why = exc.strerror or str(exc)
    if why:
        return None, [Problem(name, 1, f"cannot be read: {why}")]
    parsed, problems = parse_csv(data, table, name)
    return parsed, problems + check_rows(parsed)


def validate_files(paths: list[str | Path]) -> dict[str, ParsedTable]:
    """Validate CSV files named after their tables; raise DataValidationError listing every problem.

    References are checked against the tables among ``paths`` or, when one is not given, the file
    of that name beside the first file (platforms.csv, publishers.csv, citations.csv, the fact
    tables). A reference is not checked when its table is not found, could not be read through (see
    ``ParsedTable.complete``) or lacks the column; no rule reports what only follows from a file or a
    column that could not be read, which is named once. Problems in a file read only for its keys are
    reported too.
    """
    problems: list[Problem] = []
    given: dict[str, ParsedTable] = {}
    for path in paths:
        parsed, found = read_file(path)
        problems += found
        if parsed is not None:
            given[parsed.table.name] = parsed
    known = dict(given)
    if given:
        folder = Path(next(iter(given.values())).path).parent
        for table in TABLES.values():
            beside = folder / table.filename
            if table.name not in known and os.path.lexists(beside):
                parsed, found = read_file(beside)
                problems += [p for p in found if p not in problems]
                if parsed is not None:
                    known[table.name] = parsed
    references = {c.references for parsed in given.values() for c in parsed.table.columns if c.references}
    keys = {ref: reference_values(known, ref) for ref in references}
    files = {name: parsed.path for name, parsed in known.items()} | {"facts": "the fact tables"}
    # A reference into a table with no rows is held back: the table is named once (see empty_table_problem).
    held: dict[str, tuple[ParsedTable, list[Problem]]] = {}
    for parsed in given.values():
        for problem in check_references(parsed, keys, files):
            empty = [t for t in _referenced(known, parsed.table.column(problem.column).references)
                     if t and t.empty and _could_hold(t, problem.value or "")]
            for table in empty:
                held.setdefault(table.path, (table, []))[1].append(problem)
            if not empty:
                problems.append(problem)
    problems += [empty_table_problem(table, following) for table, following in held.values()]
    waves = known.get(WAVES.name)
    facts_known = reference_values(known, "facts.id") is not None
    if waves is not None and facts_known and (WAVES.name in given or any(p.table in FACT_TABLES for p in given.values())):
        problems += check_waves(waves, known)
    surges = given.get("user_surges")
    if surges is not None:
        problems += check_surges(surges, known)
    citations = known.get("citations")
    if citations is not None:
        if "citations" in given:
            problems += check_citations(citations, known)
        problems += check_cited({n: p for n, p in given.items() if p.table in FACT_TABLES}, citations)
        problems += check_read_dates({n: p for n, p in known.items() if n in given or "citations" in given}, citations)
    problems += check_unique_ids(given)
    if problems:
        raise DataValidationError(problems)
    return given


def validate_dir(data_dir: str | Path) -> dict[str, ParsedTable]:
    """Validate every raw table in ``data_dir`` (all eight files must be there)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataValidationError([Problem(str(data_dir), 1, "is not a folder")])
    missing = [t.filename for t in TABLES.values() if not os.path.lexists(data_dir / t.filename)]
    if missing:
        raise DataValidationError([Problem(str(data_dir / m), 1, "is missing") for m in missing])
    return validate_files([data_dir / t.filename for t in TABLES.values()])
