"""Read outside daily series: Google Trends exports and plain CSVs.

These are for a user's own data, so a bad file raises DataValidationError naming the file and line.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from ..data.validate import DataValidationError, Problem, csv_records

_PERIOD_FORMATS = {"Day": "%Y-%m-%d", "Week": "%Y-%m-%d", "Month": "%Y-%m"}
_TERM_GEO = re.compile(r"^(?P<term>.*): \((?P<geo>[^()]*)\)$")
TRENDS_COLUMNS = ["date", "term", "geo", "value", "below_one"]
TRENDS_MAXIMUM = 100  # Google scales every term to 0–100 over the period shown
_FIRST_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")


def _source(path) -> tuple[str, str]:
    """(text, name) of a path or an open text stream (a StringIO, an open file)."""
    if hasattr(path, "read"):
        return path.read(), str(getattr(path, "name", "<stream>"))
    return _text(Path(path)), str(path)


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataValidationError([Problem(str(path), line, f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})")]) from None
    except OSError as exc:
        raise DataValidationError([Problem(str(path), 1, f"cannot be read: {exc.strerror or exc}")]) from None


def _records(text: str, name: str, problems: list[Problem], after: int = 0) -> list[tuple[int, list[str]]]:
    """The non-blank records of ``text`` with the lines an editor shows (``after`` lines come before ``text``);
    a CSV that stops early (an unclosed quote) is a problem, and the records before it are kept."""
    records, stopped = csv_records(text)
    if stopped:
        problems.append(Problem(name, stopped[0] + after, f"cannot be read as CSV: {stopped[1]}"))
    return [(line + after, record) for line, record in records]


def _header_problems(header: list[str], columns: list[str], name: str, line: int) -> list[Problem]:
    return [Problem(name, line, "appears twice in the header", c) for c in dict.fromkeys(columns) if header.count(c) > 1]


def _data_rows(body: list[tuple[int, list[str]]], width: int, name: str, problems: list[Problem]):
    """(editor line, row) for each row of the right width; a wrong width is a problem."""
    for line, row in body:
        if len(row) != width:
            problems.append(Problem(name, line, f"has {len(row)} fields instead of {width}"))
            continue
        yield line, row


def _repeated(day: pd.Timestamp, line: int, seen: dict[pd.Timestamp, int], name: str, column: str, cell: str,
              problems: list[Problem]) -> bool:
    """Whether ``day`` was on an earlier line (a problem), remembering it otherwise."""
    if day in seen:
        problems.append(Problem(name, line, f"repeats the date on line {seen[day]}", column, cell))
        return True
    seen[day] = line
    return False


def read_google_trends(path) -> pd.DataFrame:
    """Read a Google Trends ``multiTimeline.csv`` export into tidy rows.

    Google writes a ``Category: …`` line, a blank line, then a header such as
    ``Day,telegram: (Worldwide),signal: (Worldwide)`` (or ``Week``/``Month``). Returns columns
    ``date``, ``term``, ``geo``, ``value`` and ``below_one``: a ``<1`` cell becomes 0.5 with
    ``below_one=True`` (Google's scale is 0–100 and "<1" means above zero but under one); an empty cell
    stays missing. A value above 100, a repeated date or a term named twice is an error.
    """
    text, name = _source(path)
    first = _FIRST_LINE.match(text)
    if not first[1].startswith("Category:"):
        raise DataValidationError([Problem(name, 1, "is not a Google Trends export: expected a first line 'Category: …'")])
    problems: list[Problem] = []
    records = _records(text[first.end():], name, problems, after=1)
    if not records:
        raise DataValidationError(problems or [Problem(name, 2, "has no header row after the 'Category:' line")])
    (line_of, header), body = records[0], records[1:]  # line_of: the editor line of the header
    problems += _header_problems(header, header[1:], name, line_of)
    if header[0] not in _PERIOD_FORMATS:
        problems.append(Problem(name, line_of, "first column must be Day, Week or Month", header[0], header[0]))
    terms = []
    for cell in header[1:]:
        match = _TERM_GEO.match(cell)
        if not match:
            problems.append(Problem(name, line_of, "is not 'term: (Geo)'", cell, cell))
        else:
            terms.append((match["term"], match["geo"]))
    if problems:
        raise DataValidationError(problems)
    date_format = _PERIOD_FORMATS[header[0]]
    tidy_rows, seen = [], {}
    for line, row in _data_rows(body, len(header), name, problems):
        try:
            date = pd.to_datetime(row[0], format=date_format)
        except ValueError:
            problems.append(Problem(name, line, f"is not a date as {date_format}", header[0], row[0]))
            continue
        if _repeated(date, line, seen, name, header[0], row[0], problems):
            continue
        for (term, geo), cell, column in zip(terms, row[1:], header[1:]):
            value = cell.strip()
            if value == "<1":
                tidy_rows.append((date, term, geo, 0.5, True))
            elif value == "":
                tidy_rows.append((date, term, geo, float("nan"), None))
            elif not re.fullmatch(r"\d+(\.\d+)?", value):
                problems.append(Problem(name, line, "is not a number, '<1' or empty", column, cell))
            elif float(value) > TRENDS_MAXIMUM:
                problems.append(Problem(name, line, f"is above {TRENDS_MAXIMUM}, the top of Google Trends' "
                                        f"0–{TRENDS_MAXIMUM} scale", column, cell))
            else:
                tidy_rows.append((date, term, geo, float(value), False))
    if problems:
        raise DataValidationError(problems)
    tidy = pd.DataFrame.from_records(tidy_rows, columns=TRENDS_COLUMNS)
    tidy["term"] = tidy["term"].astype("str")
    tidy["geo"] = tidy["geo"].astype("str")
    tidy["below_one"] = tidy["below_one"].astype("boolean")
    return tidy.sort_values(["term", "geo", "date"], kind="mergesort").reset_index(drop=True)


def trends_series(trends: pd.DataFrame, term: str, geo: str | None = None) -> pd.Series:
    """One term of a tidy Trends frame as a Series on its DatetimeIndex (for event_window_change)."""
    rows = trends[trends["term"] == term]
    if geo is not None:
        rows = rows[rows["geo"] == geo]
    if rows.empty:
        raise KeyError(f"no rows for term {term!r}" + (f" and geo {geo!r}" if geo else ""))
    if rows["geo"].nunique() > 1:
        raise ValueError(f"term {term!r} has several geos {sorted(rows['geo'].unique())}; pass geo=")
    return pd.Series(rows["value"].to_numpy(), index=pd.DatetimeIndex(rows["date"], name="date"), name=term)


def read_daily_series(path, date: str = "date", value: str = "value") -> pd.Series:
    """Read one daily series from a plain CSV: a ``date`` column (YYYY-MM-DD) and a ``value`` column.

    ``path`` is a file path or an open text stream (``io.StringIO``).

    Returns a float Series on a DatetimeIndex named ``date``, sorted; empty cells stay missing. A value
    that is not a finite number (``inf``, ``nan``) or a repeated date is an error.
    """
    text, name = _source(path)
    problems: list[Problem] = []
    records = _records(text, name, problems)
    if not records:
        raise DataValidationError(problems or [Problem(name, 1, "is empty: expected a header row")])
    header_line, header = records[0]
    missing = [c for c in (date, value) if c not in header]
    problems += [Problem(name, header_line, "is missing from the header", c) for c in missing]
    problems += _header_problems(header, [date, value], name, header_line)
    if problems:
        raise DataValidationError(problems)
    di, vi = header.index(date), header.index(value)
    dates, values, seen = [], [], {}
    for line, row in _data_rows(records[1:], len(header), name, problems):
        try:
            day = pd.Timestamp(pd.to_datetime(row[di], format="%Y-%m-%d"))
        except ValueError:
            problems.append(Problem(name, line, "is not a date YYYY-MM-DD", date, row[di]))
            continue
        if _repeated(day, line, seen, name, date, row[di], problems):
            continue
        cell = row[vi].strip()
        try:
            number = float(cell) if cell else float("nan")
        except ValueError:
            problems.append(Problem(name, line, "is not a number", value, row[vi]))
            continue
        if cell and not math.isfinite(number):
            problems.append(Problem(name, line, "is not a finite number; leave the cell empty where the value is "
                                    "missing", value, row[vi]))
            continue
        values.append(number)
        dates.append(day)
    if problems:
        raise DataValidationError(problems)
    series = pd.Series(values, index=pd.DatetimeIndex(dates, name="date"), name=value, dtype="float64")
    return series.sort_index()
