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
    return {"integer": "Int64", "year": "Int64", "number": "Float64", "boolean": "boolean"}.get(col.kind, "str")


@functools.cache
def _read_plan(table: Table) -> tuple[list[str], list[tuple[str, str, object]]]:
    """Which columns read_csv parses as dates, and which get a typed array afterwards."""
    dates = [c.name for c in table.columns if c.kind == "date"]
    convert = [(c.name, c.kind, _pandas_dtype(c)) for c in table.columns if c.kind in _ARRAY_BUILDERS]
    return dates, convert


def _categorical(values: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    # A dict lookup is ~6x faster than Index.get_indexer on these small object arrays.
    lookup = _category_codes(dtype)
    codes = np.fromiter((lookup.get(v, -1) for v in values), dtype=np.int16, count=len(values))
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


@functools.cache
def _category_codes(dtype: pd.CategoricalDtype) -> dict:
    return {value: code for code, value in enumerate(dtype.categories)}


def _masked(values: np.ndarray, array_type, numpy_type: str):
    """Build a nullable array directly: pd.array() on these is 10-30x slower."""
    if values.dtype == object:  # booleans with gaps arrive as objects
        return pd.array(values, dtype={"bool": "boolean"}.get(numpy_type, numpy_type))
    mask = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), dtype=bool)
    return array_type(np.where(mask, 0, values).astype(numpy_type), mask)


_ARRAY_BUILDERS = {
    "enum": _categorical,
    "integer": lambda v, _: _masked(v, pd.arrays.IntegerArray, "int64"),
    "year": lambda v, _: _masked(v, pd.arrays.IntegerArray, "int64"),
    "number": lambda v, _: _masked(v, pd.arrays.FloatingArray, "float64"),
    "boolean": lambda v, _: _masked(v, pd.arrays.BooleanArray, "bool"),
}


def read_processed(path: Path, table: Table) -> pd.DataFrame:
    """Fast path for files written by ``build``: no row checks, just typed parsing."""
    dates, convert = _read_plan(table)
    # keep_default_na=False: only an empty cell is missing ("NA" is Namibia, not a gap).
    frame = pd.read_csv(path, parse_dates=dates, keep_default_na=False, na_values=[""])
    for name, kind, dtype in convert:
        frame[name] = _ARRAY_BUILDERS[kind](frame[name].to_numpy(), dtype)
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

    tables = {t.name: typed_frame(p) for t, p in _validated_raw(data_dir)}
    return derive_tables(tables)[name]


def _validated_raw(data_dir: Path):
    parsed = validate_files([data_dir / t.filename for t in schema.RAW_TABLES])
    return [(schema.TABLES[n], p) for n, p in parsed.items()]


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
