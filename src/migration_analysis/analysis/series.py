"""Read outside daily series: Google Trends exports and plain CSVs.

These are for a user's own data, so a bad file raises DataValidationError naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from ..data.validate import DataValidationError, Problem

_PERIOD_FORMATS = {"Day": "%Y-%m-%d", "Week": "%Y-%m-%d", "Month": "%Y-%m"}
_TERM_GEO = re.compile(r"^(?P<term>.*): \((?P<geo>[^()]*)\)$")
TRENDS_COLUMNS = ["date", "term", "geo", "value", "below_one"]


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


def _data_rows(body: list[list[str]], width: int, name: str, first_line: int, problems: list[Problem]):
    """(editor line, row) for each non-blank row of the right width; a wrong width is a problem."""
    for line, row in enumerate(body, start=first_line):
        if not row:
            continue
        if len(row) != width:
            problems.append(Problem(name, line, f"has {len(row)} fields instead of {width}"))
            continue
        yield line, row


def read_google_trends(path) -> pd.DataFrame:
    """Read a Google Trends ``multiTimeline.csv`` export into tidy rows.

    Google writes a ``Category: …`` line, a blank line, then a header such as
    ``Day,telegram: (Worldwide),signal: (Worldwide)`` (or ``Week``/``Month``). Returns columns
    ``date``, ``term``, ``geo``, ``value`` and ``below_one``: a ``<1`` cell becomes 0.5 with
    ``below_one=True`` (Google's scale is 0–100 and "<1" means above zero but under one).
    """
    text, name = _source(path)
    lines = text.splitlines()
    if not lines or not lines[0].startswith("Category:"):
        raise DataValidationError([Problem(name, 1, "is not a Google Trends export: expected a first line 'Category: …'")])
    header_line = next((i for i, line in enumerate(lines[1:], start=1) if line.strip()), None)
    if header_line is None:
        raise DataValidationError([Problem(name, 2, "has no header row after the 'Category:' line")])
    rows = list(csv.reader(io.StringIO("\n".join(lines[header_line:]))))
    header, body = rows[0], rows[1:]
    line_of = header_line + 1  # editor line of the header
    problems: list[Problem] = []
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
    records = []
    for line, row in _data_rows(body, len(header), name, line_of + 1, problems):
        try:
            date = pd.to_datetime(row[0], format=date_format)
        except ValueError:
            problems.append(Problem(name, line, f"is not a date as {date_format}", header[0], row[0]))
            continue
        for (term, geo), cell, column in zip(terms, row[1:], header[1:]):
            if cell.strip() == "<1":
                records.append((date, term, geo, 0.5, True))
            elif re.fullmatch(r"\d+(\.\d+)?", cell.strip()):
                records.append((date, term, geo, float(cell), False))
            else:
                problems.append(Problem(name, line, "is not a number, '<1' or empty", column, cell))
    if problems:
        raise DataValidationError(problems)
    tidy = pd.DataFrame.from_records(records, columns=TRENDS_COLUMNS)
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

    Returns a float Series on a DatetimeIndex named ``date``, sorted; empty cells stay missing.
    """
    text, name = _source(path)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DataValidationError([Problem(name, 1, "is empty: expected a header row")])
    header = rows[0]
    missing = [c for c in (date, value) if c not in header]
    if missing:
        raise DataValidationError([Problem(name, 1, "is missing from the header", c) for c in missing])
    di, vi = header.index(date), header.index(value)
    problems, dates, values, seen = [], [], [], {}
    for line, row in _data_rows(rows[1:], len(header), name, 2, problems):
        try:
            day = pd.Timestamp(pd.to_datetime(row[di], format="%Y-%m-%d"))
        except ValueError:
            problems.append(Problem(name, line, "is not a date YYYY-MM-DD", date, row[di]))
            continue
        if day in seen:
            problems.append(Problem(name, line, f"repeats the date on line {seen[day]}", date, row[di]))
            continue
        seen[day] = line
        cell = row[vi].strip()
        if cell == "":
            values.append(float("nan"))
        else:
            try:
                values.append(float(cell))
            except ValueError:
                problems.append(Problem(name, line, "is not a number", value, row[vi]))
                continue
        dates.append(day)
    if problems:
        raise DataValidationError(problems)
    series = pd.Series(values, index=pd.DatetimeIndex(dates, name="date"), name=value, dtype="float64")
    return series.sort_index()
