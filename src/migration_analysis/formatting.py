"""Text a reader sees: dates in words and tables formatted for display (no plotting imports)."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler


def day_text(day, year: bool = True) -> str:
    """'6 Jan 2021' (or '6 Jan'): the day without a leading zero, on every platform.

    strftime's ``%-d`` does that on Linux and macOS but fails on Windows, so the day is formatted here.
    """
    day = pd.Timestamp(day)
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


# How an actor's slug is written where no platform name exists: acronyms and house spellings.
_SPELLINGS = {"us": "US", "uk": "UK", "eu": "EU", "ftc": "FTC", "nasa": "NASA", "hac": "HAC", "mcmc": "MCMC",
              "meity": "MeitY", "mocit": "MoCIT", "wd": "W.D.", "xai": "xAI", "esafety": "eSafety"}
_SMALL_WORDS = {"of", "the", "and", "for", "on", "in"}


def actor_name(slug, names: dict[str, str] | None = None) -> str:
    """An actor as a chart names it: its platform name from ``names`` if it is a platform, else its slug in
    words ('brazil_supreme_court' -> 'Brazil Supreme Court', 'us_house_of_representatives' -> 'US House of
    Representatives')."""
    if names and slug in names:
        return names[slug]
    words = str(slug).split("_")
    return " ".join(_SPELLINGS.get(w, w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:])
                    for i, w in enumerate(words))


def geography_words(geography) -> str:
    """Where a figure was counted, as a label says it: 'GB', 'worldwide', 'no stated region'."""
    text = str(geography)
    return "no stated region" if text == "unstated" else text.replace("_", " ")


def period_text(start, end) -> str:
    """'10–12 Jan 2021', '28 Dec 2020 – 3 Jan 2021' or '6 Jan 2021' for a one-day period."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        return day_text(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day_text(end)}"
    if start.year == end.year:
        return f"{day_text(start, year=False)} – {day_text(end)}"
    return f"{day_text(start)} – {day_text(end)}"


# Counts of people that come out of a division (per-day rates, means of daily counts) are shown as whole
# people: "8,333,333 a day", not "8,333,333.33". Ratios (multipliers, shares, changes) keep their decimals.
PEOPLE_COUNT_COLUMNS = re.compile(r"(^|_)per_day$|^(before|after|counterfactual)_mean$")


def show_table(frame: pd.DataFrame, decimals: dict[str, int] | None = None) -> Styler:
    """A table as a reader should see it: thousands separators, dates as days, blanks for missing
    values, no index numbers. A named index (or the named levels of a MultiIndex) is kept as columns;
    an unnamed index is dropped, whatever its kind. Float columns of whole numbers and counts of
    people (``PEOPLE_COUNT_COLUMNS``: per-day rates, mean daily counts) show no decimals, others two,
    unless ``decimals`` ({column: places}) says otherwise. Numbers are right-aligned, text and dates
    left-aligned. Returns a pandas Styler (it displays in Jupyter and renders in nbconvert's HTML).
    """
    named = [name for name in frame.index.names if name is not None]
    if named:
        frame = frame.reset_index(level=named)
    frame = frame.reset_index(drop=True)
    formats, align = {}, {}
    for name, column in frame.items():
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        align[name] = [{"selector": "", "props": f"text-align: {'right' if numeric else 'left'};"}]
        if pd.api.types.is_bool_dtype(column):
            formats[name] = lambda v: "" if pd.isna(v) else ("yes" if v else "no")
        elif pd.api.types.is_datetime64_any_dtype(column):
            formats[name] = lambda v: "" if pd.isna(v) else day_text(v)
        elif pd.api.types.is_integer_dtype(column):
            formats[name] = lambda v: "" if pd.isna(v) else f"{int(v):,}"
        elif pd.api.types.is_float_dtype(column):
            whole = bool(((column.dropna() % 1) == 0).all()) or bool(PEOPLE_COUNT_COLUMNS.search(str(name)))
            places = (decimals or {}).get(name, 0 if whole else 2)
            formats[name] = (lambda d: lambda v: "" if pd.isna(v) else f"{v:,.{d}f}")(places)
    # A stable id (pandas draws a random one), so re-running a notebook gives the same output.
    uid = hashlib.sha1(f"{list(frame.columns)}{frame.shape}{frame.head(3).to_numpy()}".encode()).hexdigest()[:8]
    return (_shown_table_class()(frame).set_uuid(uid).format(formats, na_rep="").hide(axis="index")
            .set_table_styles(align, overwrite=False))


def _shown_table_class() -> type:
    """A Styler whose plain-text form names the table's size instead of a memory address, so that
    re-running a notebook changes no output. Made on first use: importing pandas' Styler imports jinja2."""
    global _ShownTable
    if _ShownTable is None:
        from pandas.io.formats.style import Styler

        class ShownTable(Styler):
            def __repr__(self) -> str:
                rows, columns = self.data.shape
                return f"<table: {rows:,} row{'s' * (rows != 1)}, {columns} column{'s' * (columns != 1)}>"

        _ShownTable = ShownTable
    return _ShownTable


_ShownTable: type | None = None


def is_flagged(values) -> pd.Series:
    """A flag column (``weakly_sourced``, ``cross_source``) as plain booleans, missing as not flagged."""
    return pd.Series(values).astype("boolean").fillna(False).astype(bool)
