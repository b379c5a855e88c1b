"""The optional packages behind the activity functions (``pip install 'migration-analysis[activity]'``, ``[spark]``).

They are imported when a function needs them, never with the package; a missing one is a ``MissingExtraError``
whose one line says what to install, which the command prints as it is (no traceback).
"""

from __future__ import annotations

import importlib
from types import ModuleType

# The extra that brings each module, and what in the package needs it.
EXTRAS = {"duckdb": ("activity", "the DuckDB engine"), "pyarrow": ("activity", "reading Parquet schemas"),
          "pyspark": ("spark", "the Spark engine")}


class MissingExtraError(ImportError):
    """An optional package is not installed; the message names the extra to install."""


def import_extra(module: str) -> ModuleType:
    """``module`` imported, or ``MissingExtraError``: "duckdb is not installed (the DuckDB engine needs it): …"."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] != module.split(".")[0]:
            raise  # a module the package itself imports is missing: a broken installation, not a missing extra
        extra, user = EXTRAS[module.split(".")[0]]
        raise MissingExtraError(f"{module.split('.')[0]} is not installed ({user} needs it): "
                                f"pip install 'migration-analysis[{extra}]'") from None
