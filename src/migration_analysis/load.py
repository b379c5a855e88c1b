"""Typed loaders: every table as a DataFrame with datetime64 dates, categoricals and nullable numbers.

By default they read the processed data that ships with the package (validated when it was built).
Given ``data_dir=``, they validate the files there first and raise DataValidationError on bad data.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema
from .schema import Table
from .validate import ParsedTable, validate_files

_PACKAGE_DATA = Path(__file__).resolve().parent / "data" / "processed"
_CHECKOUT_DATA = Path(__file__).resolve().parents[2] / "data" / "processed"


def default_data_dir() -> Path:
    """The processed data shipped inside the installed package, or the checkout's data/processed."""
    return _PACKAGE_DATA if _PACKAGE_DATA.is_dir() else _CHECKOUT_DATA


def _pandas_dtype(col: schema.Column):
    if col.kind == "enum":
        return pd.CategoricalDtype(list(col.enum))
    return {"integer": "Int64", "year": "Int64", "number": "Float64", "boolean": "boolean"}.get(col.kind, "string")


@functools.cache
def _read_plan(table: Table) -> tuple[list[str], list[tuple[str, pd.CategoricalDtype]], list[str]]:
    """Which columns read_csv parses as dates, which become categoricals, which must be Float64."""
    dates = [c.name for c in table.columns if c.kind == "date"]
    enums = [(c.name, _pandas_dtype(c)) for c in table.columns if c.kind == "enum"]
    numbers = [c.name for c in table.columns if c.kind == "number"]
    return dates, enums, numbers


def _categorical(values: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    # Factorize in C, then map only the few distinct values through the category lookup.
    lookup = _category_codes(dtype)
    codes, uniques = pd.factorize(values)
    table = np.array([lookup.get(u, -1) for u in uniques] + [-1], dtype=np.int16)  # -1: a missing value
    return pd.Categorical.from_codes(table[codes], dtype=dtype, validate=False)


@functools.cache
def _category_codes(dtype: pd.CategoricalDtype) -> dict:
    return {value: code for code, value in enumerate(dtype.categories)}


def read_processed(path: Path, table: Table) -> pd.DataFrame:
    """Fast path for files written by ``build``: no row checks, just typed parsing.

    The parser itself yields nullable integers, booleans and strings (``dtype_backend``); only
    enums become categoricals afterwards, and whole-number "number" columns become Float64.
    """
    dates, enums, numbers = _read_plan(table)
    # keep_default_na=False: only an empty cell is missing ("NA" is Namibia, not a gap).
    frame = pd.read_csv(path, parse_dates=dates, keep_default_na=False, na_values=[""],
                        dtype_backend="numpy_nullable")
    positions = {name: i for i, name in enumerate(frame.columns)}
    for name, dtype in enums:
        frame.isetitem(positions[name], _categorical(frame[name].to_numpy(dtype=object, na_value=None), dtype))
    for name in numbers:
        if frame[name].dtype != "Float64":
            frame.isetitem(positions[name], frame[name].astype("Float64"))
    return frame


def typed_frame(parsed: ParsedTable) -> pd.DataFrame:
    """Turn validated string rows into a typed DataFrame sorted as the schema says."""
    table = parsed.table
    raw = pd.DataFrame(parsed.rows, columns=table.column_names, dtype="object").replace("", None)
    frame = pd.DataFrame(index=raw.index)
    for col in table.columns:
        values = raw[col.name]
        if col.kind == "date":
            frame[col.name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif col.kind == "boolean":
            frame[col.name] = values.map({"true": True, "false": False}).astype("boolean")
        elif col.kind in ("integer", "number"):
            frame[col.name] = pd.to_numeric(values).astype(_pandas_dtype(col))
        else:
            frame[col.name] = values.astype(_pandas_dtype(col))
    return sort_table(frame, table)


def sort_table(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    return frame.sort_values(list(table.sort_by), kind="mergesort").reset_index(drop=True)


def load_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one table by name from the shipped data, or validate and load it from ``data_dir``."""
    table = {t.name: t for t in schema.all_tables()}[name]
    if data_dir is None:
        return read_processed(default_data_dir() / table.filename, table)
    path = Path(data_dir) / table.filename
    if not path.exists() and table in schema.DERIVED_TABLES:
        return _derive(name, Path(data_dir))
    return typed_frame(validate_files([path])[name])


def _derive(name: str, data_dir: Path) -> pd.DataFrame:
    from .build import derive_tables  # build imports this module

    parsed = validate_files([data_dir / t.filename for t in schema.RAW_TABLES])
    tables = {table_name: typed_frame(p) for table_name, p in parsed.items()}
    derived = derive_tables(tables)[name]
    table = {t.name: t for t in schema.DERIVED_TABLES}[name]
    # The same dtypes as the same table read from data/processed.
    for col in table.columns:
        if col.kind in ("string", "slug", "url", "country", "geography"):
            derived[col.name] = derived[col.name].astype("string")
    return derived


def load_platforms(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every platform, store and service, with its category."""
    return load_table("platforms", data_dir)


def load_account_bans(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Bans, locks, restrictions and reinstatements of accounts, channels and communities."""
    return load_table("account_bans", data_dir)


def load_store_removals(data_dir: str | Path | None = None) -> pd.DataFrame:
    """App-store, hosting and service-provider actions against apps."""
    return load_table("store_removals", data_dir)


def load_user_surges(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Download, sign-up and user figures, each with its reporter and claim type."""
    return load_table("user_surges", data_dir)


def load_context_events(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The events that frame the wave (attack, policy notices, lawsuits, government blocks, stakes)."""
    return load_table("context_events", data_dir)


def load_surge_rates(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every surge figure with its per-day rate, baseline and multiplier (derived by ``build``)."""
    return load_table("surge_rates", data_dir)


def load_events(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The unified timeline of bans, removals and context events (derived by ``build``)."""
    return load_table("events", data_dir)
