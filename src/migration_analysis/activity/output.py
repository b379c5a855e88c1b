"""Write a table the ``activity`` command computed: whole or not at all, never over an input, safe in a spreadsheet.

- ``refuse_output_over_inputs`` runs before anything is read: an output that is one of the inputs (after
  resolving symlinks, or the same file by another name), lies inside an input folder, or matches an input
  glob pattern is refused, so the dump is never overwritten and the next run never reads the output back.
- ``write_csv`` writes to a temporary file in the output's folder and renames it into place: the final name
  holds the old file or the whole new one, never a part; the temporary file is removed on any error.
- ``spreadsheet_safe`` neutralises text cells a spreadsheet would run as a formula (the OWASP rule: a cell
  starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``). Only text columns
  are touched: numbers, negative ones included, stay numbers.
"""

from __future__ import annotations

import csv
import fnmatch
import glob
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .sources import is_pattern

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputPathError(ValueError):
    """An output path that would overwrite or sit inside an input: refused before anything is read."""


def refuse_output_over_inputs(out: str | Path, inputs: Iterable[str | Path]) -> None:
    """Raise ``OutputPathError`` when ``out`` is an input, lies inside an input folder or matches an input pattern."""
    target = Path(out).resolve()
    if target.is_dir():
        raise OutputPathError(f"--out {out}: is a folder; name the CSV file to write")
    for item in inputs:
        text = str(item)
        if "://" in text:
            continue
        if is_pattern(text):
            if fnmatch.fnmatchcase(str(target), os.path.abspath(text)) or fnmatch.fnmatchcase(os.path.abspath(out),
                                                                                                os.path.abspath(text)):
                raise OutputPathError(f"--out {out}: matches the input pattern {text}; the output would be read as input")
            candidates = [Path(p) for p in glob.glob(text, recursive=True)]
        else:
            candidates = [Path(text)]
        for path in candidates:
            resolved = path.resolve()
            if resolved == target or (target.exists() and path.exists() and os.path.samefile(path, target)):
                raise OutputPathError(f"--out {out}: is the input {path}; write the output elsewhere")
            if resolved.is_dir() and target.is_relative_to(resolved):
                raise OutputPathError(f"--out {out}: is inside the input folder {path}; write the output elsewhere")


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR begin with ``'``."""
    safe = table.copy()
    for column in _text_columns(safe):
        safe[column] = safe[column].map(
            lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v, na_action="ignore")
    return safe


def _text_columns(table: pd.DataFrame) -> list:
    return [c for c in table.columns if pd.api.types.is_object_dtype(table[c]) or pd.api.types.is_string_dtype(table[c])]


def write_csv(table: pd.DataFrame, out: str | Path) -> Path:
    """Write ``table`` (spreadsheet-safe, dates as YYYY-MM-DD) to ``out`` whole or not at all."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    safe = spreadsheet_safe(table)
    # Python's csv quotes a field holding "\n" but not one holding a bare "\r" when lines end in "\n": a reader
    # would split the row there. Such a table has every text cell quoted instead.
    bare_cr = any(safe[c].astype("string").str.contains("\r", regex=False).any() for c in _text_columns(safe))
    data = safe.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n",
                       quoting=csv.QUOTE_NONNUMERIC if bare_cr else csv.QUOTE_MINIMAL).encode("utf-8")
    tmp = out.with_name(f".{out.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as to any new file
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out
