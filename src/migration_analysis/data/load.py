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
from .derive import process_tables
from .kinds import empty_frame, kind_of, pandas_dtype  # noqa: F401  (empty_frame: re-exported)
from .schema import Table
from .staging import pending_build
from .validate import DataValidationError, ParsedTable, Problem, validate_files

# The wheel ships data/processed inside this subpackage's folder; a checkout keeps it at the top.
_PACKAGE_DATA = Path(__file__).resolve().parent / "processed"
_CHECKOUT_DATA = Path(__file__).resolve().parents[3] / "data" / "processed"


def default_data_dir() -> Path:
    """The processed data shipped inside the installed package, or the checkout's data/processed."""
    return _PACKAGE_DATA if _PACKAGE_DATA.is_dir() else _CHECKOUT_DATA


@functools.cache
def _read_plan(table: Table) -> tuple[list[str], list[tuple[str, pd.CategoricalDtype]], list[str], list[str]]:
    """Which columns read_csv parses as dates, which become categoricals, which must be Float64 or text."""
    dtypes = {c.name: pandas_dtype(c) for c in table.columns}
    dates = [name for name, dtype in dtypes.items() if dtype == "datetime64[ns]"]
    enums = [(name, dtype) for name, dtype in dtypes.items() if isinstance(dtype, pd.CategoricalDtype)]
    numbers = [name for name, dtype in dtypes.items() if dtype == "Float64"]
    texts = [name for name, dtype in dtypes.items() if dtype == "string"]
    return dates, enums, numbers, texts


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
    dates, enums, numbers, texts = _read_plan(table)
    # keep_default_na=False: only an empty cell is missing ("NA" is Namibia, not a gap).
    frame = pd.read_csv(path, parse_dates=dates, keep_default_na=False, na_values=[""],
                        dtype_backend="numpy_nullable")
    positions = {name: i for i, name in enumerate(frame.columns)}
    for name, dtype in enums:
        frame.isetitem(positions[name], _categorical(frame[name].to_numpy(dtype=object, na_value=None), dtype))
    for name in numbers:
        if frame[name].dtype != "Float64":
            frame.isetitem(positions[name], frame[name].astype("Float64"))
    for name in texts:  # a text column with no value at all is parsed as numbers
        if not isinstance(frame[name].dtype, pd.StringDtype):
            frame.isetitem(positions[name], frame[name].astype("string"))
    return frame


def typed_frame(parsed: ParsedTable) -> pd.DataFrame:
    """Turn validated string rows into a typed DataFrame sorted as the schema says."""
    table = parsed.table
    raw = pd.DataFrame(parsed.rows, columns=table.column_names, dtype="object").replace("", None)
    frame = pd.DataFrame(index=raw.index)
    for col in table.columns:
        values = raw[col.name]
        dtype = pandas_dtype(col)
        if dtype == "datetime64[ns]":
            frame[col.name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif dtype == "boolean":
            frame[col.name] = values.map({"true": True, "false": False}).astype("boolean")
        elif kind_of(col).numeric:
            frame[col.name] = pd.to_numeric(values).astype(dtype)
        else:
            frame[col.name] = values.astype(dtype)
    return sort_table(frame, table)


def sort_table(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    return frame.sort_values(list(table.sort_by), kind="mergesort").reset_index(drop=True)


def conform(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """The schema's columns, in order, with the dtypes the processed files load with."""
    out = pd.DataFrame(index=frame.index)
    for col in table.columns:
        values = frame[col.name]
        dtype = pandas_dtype(col)
        if dtype == "datetime64[ns]":
            out[col.name] = pd.to_datetime(values)
        elif isinstance(dtype, pd.CategoricalDtype):
            out[col.name] = pd.Categorical(values.astype("object").where(values.notna(), None), dtype=dtype)
        else:
            out[col.name] = values.astype(dtype)
    return out.reset_index(drop=True)


def table_names() -> list[str]:
    """Every table ``load_table`` can load, in the order of the data dictionary."""
    return schema.table_names()


def load_table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one table by name (see ``table_names()``) from the shipped data, or from ``data_dir``.

    ``data_dir`` is a folder of raw CSVs named after the tables (``user_surges.csv``…). Every CSV
    of a known table in it is validated first (DataValidationError lists every problem); a fact
    table is returned with its evidence columns, filled from ``citations.csv`` and
    ``publishers.csv`` when the folder has them (otherwise ``n_sources`` is 0 and the rest empty).
    """
    if name not in schema.table_names():
        raise ValueError(f"no table named {name!r}; the tables are: {', '.join(schema.table_names())}")
    table = schema.processed_table(name)
    if data_dir is None:
        folder = default_data_dir()
        if pending_build(folder.parents[1]):
            raise RuntimeError(f"an interrupted build left {folder} half-updated; run `migration-analysis build` "
                               "to finish it")
        return read_processed(folder / table.filename, table)
    return _from_folder(name, Path(data_dir))


def _from_folder(name: str, folder: Path) -> pd.DataFrame:
    needed = schema.MADE_FROM.get(name, (name,))
    missing = [folder / f"{n}.csv" for n in needed if not (folder / f"{n}.csv").exists()]
    if missing:
        raise DataValidationError([Problem(str(m), 1, f"is missing; {name} is made from {', '.join(needed)}")
                                   for m in missing])
    present = [folder / t.filename for t in schema.RAW_TABLES if (folder / t.filename).exists()]
    raw = {n: typed_frame(p) for n, p in validate_files(present).items()}
    return conform(process_tables(raw)[name], schema.processed_table(name))


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


def load_citations(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every page cited for every fact, with the fact's table and the tier of the site it was read on."""
    return load_table("citations", data_dir)


def load_publishers(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every site a page was read on and every outlet a reprint carries, with its kind and tier."""
    return load_table("publishers", data_dir)


def load_surge_rates(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every surge figure with its per-day rate, baseline and multiplier (derived by ``build``)."""
    return load_table("surge_rates", data_dir)


def load_events(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The unified timeline of bans, removals and context events, one row per fact (derived by ``build``)."""
    return load_table("events", data_dir)


def load_waves(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every migration wave: its triggers, window, origins and destinations, with how many facts and
    figures it holds and the share of them with a tier-1 or tier-2 page."""
    return load_table("waves", data_dir)


def load_wave_profiles(data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per wave and destination: peak per-day rate, quiet baseline, multiple, days to peak and the
    later level, each with the id of its fact, and ``gap`` saying what is missing (derived by ``build``)."""
    return load_table("wave_profiles", data_dir)


# --- loader docstrings, generated from the schema -----------------------------------------------------



def columns_doc(name: str, loader: str) -> str:
    """The Columns and Example sections of a loader's docstring, from the schema of table ``name``."""
    table = schema.processed_table(name)
    lines = ["Columns (from the schema; allowed values in docs/data_dictionary.md):", ""]
    for col in table.columns:
        optional = "" if col.required else ", may be empty"
        lines.append(f"- ``{col.name}`` ({kind_of(col).dtype.removesuffix('[ns]')}{optional}): {col.description}")
    first = ", ".join(repr(c) for c in table.column_names[:3])
    lines += ["", "Example::", "", "    >>> import migration_analysis as ma",
              f"    >>> frame = ma.{loader}()",
              "    >>> frame.columns[:3].tolist()", f"    [{first}]",
              "    >>> len(frame) > 0", "    True"]
    return "\n".join(lines)


def _document_loaders() -> None:
    """Append its columns and an example to the docstring of every ``load_<table>`` function."""
    import inspect

    names = set(schema.table_names())
    for attr, func in list(globals().items()):
        if attr.startswith("load_") and attr[len("load_"):] in names and inspect.isfunction(func):
            func.__doc__ = inspect.cleandoc(func.__doc__ or "") + "\n\n" + columns_doc(attr[len("load_"):], attr)


_document_loaders()
