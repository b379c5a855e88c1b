"""One registry of column kinds: for each, how a cell is checked, the pandas dtype it loads as, its
Table Schema type and how ``build`` writes it back. ``validate``, ``load``, ``build`` and
``describe`` ask here instead of switching on the kind's name."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .schema import HOST_PATTERN, NUMBER_MAXIMUM, REGIONS, URL_PATTERN, YEAR_RANGE, Column, Table

Check = Callable[[Column, str], "str | None"]


def _date(col: Column, value: str) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "is not an ISO date YYYY-MM-DD"
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return "is not a date that exists"
    return None


def _integer(col: Column, value: str) -> str | None:
    if not re.fullmatch(r"\d+", value):
        return "is not a whole number of zero or more (digits only, no separators)"
    too_low = col.minimum is not None and int(value) < col.minimum
    if too_low or col.maximum is not None and int(value) > col.maximum:
        return f"is not between {col.minimum:g} and {col.maximum:g}" if col.maximum is not None else f"is below {col.minimum:g}"
    return None


def _number(col: Column, value: str) -> str | None:
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        return "is not a number of zero or more (digits and an optional decimal point)"
    if not math.isfinite(float(value)):
        return "is not a finite number"
    maximum = col.maximum if col.maximum is not None else NUMBER_MAXIMUM
    return f"is above {maximum:g}" if float(value) > maximum else None


def _boolean(col: Column, value: str) -> str | None:
    return None if value in ("true", "false") else "must be 'true' or 'false'"


def _enum(col: Column, value: str) -> str | None:
    return None if value in col.enum else "is not one of: " + ", ".join(col.enum)


def _url(col: Column, value: str) -> str | None:
    return None if re.fullmatch(URL_PATTERN, value) else "is not an http(s) URL"


def _year(col: Column, value: str) -> str | None:
    ok = re.fullmatch(r"\d{4}", value) and YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]
    return None if ok else "is not a four-digit year"


def _hosts(col: Column, value: str) -> str | None:
    bad = [h for h in value.split(" ") if not re.fullmatch(HOST_PATTERN, h)]
    return f"is not a space-separated list of host names ('{bad[0]}' is not one)" if bad else None


def _geography(col: Column, value: str) -> str | None:
    if value in REGIONS or re.fullmatch(r"[A-Z]{2}", value):
        return None
    return "is not 'worldwide', an ISO country code (US) or one of: " + ", ".join(REGIONS[1:])


def _listed(what: str) -> Check:
    def check(col: Column, value: str) -> str | None:
        bad = [item for item in value.split(" ") if not re.fullmatch(col.pattern or r"\S+", item)]
        return f"is not a list of {what}s separated by single spaces ({bad[0]!r} is not a {what})" if bad else None

    return check


def _text(col: Column, value: str) -> str | None:
    return None  # free text: only the checks every cell gets, and the column's pattern if it has one


def _write_text(value) -> str:
    return str(value)


@dataclass(frozen=True)
class Kind:
    """A column kind. ``check`` says what is wrong with a non-empty, trimmed cell (or None); ``dtype`` is
    the pandas dtype it loads as (``category`` for enums, from the column's values); ``table_schema``
    is its Frictionless type; ``write`` turns a typed value back into CSV text. ``numeric`` cells may
    start with ``-`` or ``+`` without being a formula; ``is_list`` kinds hold space-separated items (their
    items are checked against the column's pattern by ``check``). A column's own ``pattern`` is checked
    after ``check`` passes where ``own_pattern`` is true, with ``pattern_message`` as the complaint."""

    name: str
    check: Check
    dtype: str = "string"
    table_schema: str = "string"
    write: Callable[[object], str] = _write_text
    numeric: bool = False
    is_list: bool = False
    own_pattern: bool = True
    pattern_message: str = ""
    # Table Schema: the pattern a text cell of this kind must match when its column has none of its own
    # (None: any text that is not a formula), the bounds a column gets when it sets none, extra properties.
    schema_pattern: str | None = None
    schema_bounds: tuple[float | None, float | None] = (None, None)
    schema_extras: tuple[tuple[str, object], ...] = ()

    def problem(self, col: Column, value: str) -> str | None:
        """What is wrong with a non-empty, trimmed cell of this kind in ``col``, or None."""
        found = self.check(col, value)
        if found is None and self.own_pattern and col.pattern and not re.fullmatch(col.pattern, value):
            return self.pattern_message or f"does not match {col.pattern}"
        return found


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("string", _text),
    Kind("slug", _text, pattern_message="is not a lowercase slug (letters, digits, single underscores)"),
    Kind("url", _url, schema_pattern=URL_PATTERN, schema_extras=(("format", "uri"),)),
    Kind("country", _text),
    Kind("geography", _geography, own_pattern=False, schema_pattern="(" + "|".join(REGIONS) + "|[A-Z]{2})"),
    Kind("hosts", _hosts, schema_pattern=f"({HOST_PATTERN})( ({HOST_PATTERN}))*"),
    Kind("enum", _enum, dtype="category"),
    Kind("date", _date, dtype="datetime64[ns]", table_schema="date", write=lambda v: v.strftime("%Y-%m-%d")),
    Kind("integer", _integer, dtype="Int64", table_schema="integer", write=lambda v: str(int(v)), numeric=True),
    Kind("year", _year, dtype="Int64", table_schema="year", write=lambda v: str(int(v)), schema_bounds=YEAR_RANGE),
    Kind("number", _number, dtype="Float64", table_schema="number", write=lambda v: format(float(v), ".15g"),
         numeric=True, schema_bounds=(None, NUMBER_MAXIMUM)),
    Kind("boolean", _boolean, dtype="boolean", table_schema="boolean", write=lambda v: "true" if v else "false",
         schema_extras=(("trueValues", ["true"]), ("falseValues", ["false"]))),
    Kind("slugs", _listed("slug"), is_list=True, own_pattern=False),
    Kind("ids", _listed("id"), is_list=True, own_pattern=False),
)}


def kind_of(col: Column) -> Kind:
    """The kind of a column; an unknown kind is a programming error, named."""
    try:
        return KINDS[col.kind]
    except KeyError:
        raise ValueError(f"column {col.name!r} has kind {col.kind!r}, which is not one of: {', '.join(KINDS)}") from None


def pandas_dtype(col: Column) -> pd.CategoricalDtype | str:
    """The dtype a column loads as: a categorical of its values for an enum, else its kind's dtype."""
    kind = kind_of(col)
    return pd.CategoricalDtype(list(col.enum)) if kind.dtype == "category" else kind.dtype


def csv_text(value, col: Column) -> str:
    """A typed value as ``build`` writes it: empty for a missing value, else its kind's text."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return kind_of(col).write(value)


def empty_frame(table: Table) -> pd.DataFrame:
    """A typed table with no rows: every column with the dtype it loads as."""
    return pd.DataFrame({c.name: pd.Series(dtype=pandas_dtype(c)) for c in table.columns})
