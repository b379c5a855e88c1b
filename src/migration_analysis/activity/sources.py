"""Find and check the files of a message-level dump before an engine reads them.

A source is a file, a folder (searched recursively for the formats below), a glob pattern, a list of
those, or a pandas DataFrame; a URI (``hdfs://…``, ``s3a://…``) is passed to the engine unchecked.
Formats go by the file name: ``.csv``, ``.ndjson``/``.jsonl``/``.json``
(one JSON object per line), each optionally gzipped (``.gz``), and ``.parquet``. Empty files are
skipped; a file that lacks a named column is refused with an error naming the file and the column.
"""

from __future__ import annotations

import codecs
import csv
import glob
import gzip
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pandas as pd

from .extras import import_extra

FORMATS = {".csv": "csv", ".ndjson": "json", ".jsonl": "json", ".json": "json", ".parquet": "parquet", ".pq": "parquet"}


class ActivitySourceError(ValueError):
    """A dump cannot be read as asked: a missing file or column, an unparseable value. One line."""


@dataclass
class Source:
    """The files of a dump grouped by format (or one in-memory DataFrame), and the columns asked for."""

    columns: dict[str, str]  # role (ts, u, p) -> the column's name in the dump
    files: dict[str, list] = field(default_factory=dict)  # format -> local Paths (checked) or URI strings
    frame: pd.DataFrame | None = None
    mixed_headers: set[str] = field(default_factory=set)  # formats whose files name their columns differently
    given: list[str] = field(default_factory=list)  # the files, folders and patterns as the user named them
    headers: dict = field(default_factory=dict)  # local CSV Path -> its header (column names in order)

    @property
    def empty(self) -> bool:
        return self.frame is None and not any(self.files.values())

    def local_file(self, name: str) -> tuple[str, Path | None, str | None]:
        """An engine's name for a file of the dump (DuckDB's path, Spark's ``file:`` URI) as the user named it:
        (name, local Path or None, format or None)."""
        if name.startswith("file:"):  # Spark: file:///a/b%20c.csv
            name = unquote(re.sub(r"^file:(//)?", "", name))
        if self.frame is None and "://" not in name:
            target = Path(name).resolve()
            for fmt, paths in self.files.items():
                for path in paths:
                    if not isinstance(path, str) and path.resolve() == target:
                        return str(path), path, fmt
        return name, None, None

    def where(self, name: str, column: str, value) -> str:
        """``FILE:LINE`` of the first record of file ``name`` whose ``column`` holds ``value`` (None: empty),
        or ``FILE`` alone when no line can be told (Parquet, a DataFrame, a remote file)."""
        shown, path, fmt = self.local_file(name)
        line = find_line(path, fmt, column, value) if path is not None else None
        return shown if line is None else f"{shown}:{line}"

    def read_error(self, name: str, engine: str, message: str) -> str:
        """One line for an engine's failure to read file ``name``: where the file is malformed (the same words
        for both engines), else the engine's own first line, after the file."""
        shown, path, fmt = self.local_file(name)
        found = find_malformed(path, fmt) if path is not None else None
        return f"{shown}:{found}" if found else f"{shown}: {engine} could not read it: {message}"

    def describe(self) -> str:
        """The dump in a few words, for a message about all of it."""
        if self.frame is not None:
            return "the DataFrame"
        return ", ".join(self.given[:3]) + (f" and {len(self.given) - 3} more" if len(self.given) > 3 else "")


class _NotUtf8(Exception):
    def __init__(self, line: int, byte: int) -> None:
        self.line, self.byte = line, byte


def _decoded_lines(raw) -> Iterator[str]:
    """The lines of a binary file as text, raising ``_NotUtf8`` at the first line that is not UTF-8."""
    for number, line in enumerate(raw, start=1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise _NotUtf8(number, line[exc.start]) from None


def find_malformed(path: Path, fmt: str) -> str | None:
    """``LINE: what`` for the first line of a CSV or NDJSON file that is not UTF-8 text, the first CSV record
    whose number of fields differs from the header's, or the first NDJSON line that is no JSON object; None
    when there is none (or for Parquet). Both engines' read errors are told with it, in the same words."""
    if fmt not in ("csv", "json"):
        return None
    raw = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")
    try:
        with raw:
            lines = _decoded_lines(raw)
            if fmt == "json":
                for number, line in enumerate(lines, start=1):
                    if line.strip():
                        try:
                            record = json.loads(line)
                        except ValueError:
                            record = None
                        if not isinstance(record, dict):
                            return f"{number}: not a JSON object"
                return None
            reader = csv.reader(lines)
            width = len(next(reader, []))
            start = reader.line_num + 1
            for row in reader:
                if row and len(row) != width:
                    return f"{start}: a record of {len(row)} field{'s' if len(row) != 1 else ''} under a header of {width}"
                start = reader.line_num + 1
    except _NotUtf8 as exc:
        return f"{exc.line}: not UTF-8 text (byte 0x{exc.byte:02x})"
    return None


def check_utf8(path: Path, fmt: str) -> None:
    """Raise ``ActivitySourceError`` (``FILE:LINE: not UTF-8 text``) when a CSV or NDJSON file is not UTF-8.

    Spark would read such bytes as U+FFFD without a word, DuckDB refuses them only in the columns it reads;
    checking every local file first makes both refuse them alike. A fast pass in 16 MB blocks: a block of ASCII
    (nearly every block of most dumps) is only checked to be ASCII, which needs no decoding; the others are
    decoded. The line is looked for only when a block fails."""
    if fmt not in ("csv", "json"):
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer = bytearray(1 << 24)
    with gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb") as raw:
        try:
            while size := raw.readinto(buffer):
                block = buffer if size == len(buffer) else buffer[:size]
                if not block.isascii() or decoder.getstate()[0]:  # held bytes: a character continues here
                    decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            where = find_malformed(path, fmt) or f" not UTF-8 text (byte 0x{exc.object[exc.start]:02x})"
            raise ActivitySourceError(f"{path}:{where}") from None


def _same(cell, value) -> bool:
    if value is None:
        return cell is None or cell == ""
    return cell is not None and (cell if isinstance(cell, str) else json.dumps(cell)) == str(value)


def find_line(path: Path, fmt: str, column: str, value) -> int | None:
    """The physical line (from 1, the header being line 1) where the first record of a CSV or NDJSON file whose
    ``column`` equals ``value`` starts; None for Parquet or when no record matches. For error messages only:
    it reads the file from the start."""
    if fmt not in ("csv", "json"):
        return None
    with _open_text(path) as f:
        if fmt == "json":
            for number, line in enumerate(f, start=1):
                try:
                    record = json.loads(line) if line.strip() else None
                except ValueError:
                    continue
                if isinstance(record, dict) and _same(record.get(column), value):
                    return number
            return None
        reader = csv.reader(f)
        header = next(reader, [])
        if column not in header:
            return None
        index = header.index(column)
        start = reader.line_num + 1
        for row in reader:
            if row and _same(row[index] if index < len(row) else None, value):
                return start
            start = reader.line_num + 1
    return None


def file_format(path: Path) -> str | None:
    """``csv``, ``json`` or ``parquet`` from the name (``.gz`` stripped), or None for another kind of file."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1]) if suffixes else None


def is_pattern(text: str) -> bool:
    """A glob the user typed: it holds ``*``, ``?`` or ``[`` and names no existing file or folder."""
    return any(ch in text for ch in "*?[") and not os.path.lexists(text)


def _expand(item: str | Path) -> list:
    text = str(item)
    if "://" in text:  # hdfs://, s3a://…: listed and read by the engine (Spark), not checked here
        return [text]
    if is_pattern(text):
        matches = sorted(Path(p) for p in glob.glob(text, recursive=True))
        if not matches:
            raise ActivitySourceError(f"{text}: no file matches this pattern")
        return [p for m in matches for p in _expand(m)] if any(m.is_dir() for m in matches) else matches
    path = Path(text)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and file_format(p) and not p.name.startswith("."))
        if not found:
            raise ActivitySourceError(f"{path}: the folder holds no .csv, .ndjson, .jsonl, .json or .parquet file")
        return found
    if not path.exists():
        raise ActivitySourceError(f"{path}: no such file or folder")
    return [path]


def _is_empty(path: Path) -> bool:
    if path.stat().st_size == 0:
        return True
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as f:
            return not f.read(1)
    return False


def _open_text(path: Path):
    raw = gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")


def _file_columns(path: Path, fmt: str) -> list[str]:
    """The column names a file offers: a CSV's header, the first NDJSON record's keys, a Parquet schema."""
    if fmt == "parquet":
        pq = import_extra("pyarrow.parquet")
        try:
            return list(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow's errors: one line naming the file
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ActivitySourceError(f"{path}: not a readable Parquet file ({first})") from None
    with _open_text(path) as f:
        if fmt == "csv":
            return next(csv.reader(f), [])
        for line in f:
            if line.strip():
                try:
                    record = json.loads(line)
                except ValueError:
                    raise ActivitySourceError(f"{path}: line 1 is not a JSON object (one object per line is expected)") from None
                if not isinstance(record, dict):
                    raise ActivitySourceError(f"{path}: line 1 is not a JSON object (one object per line is expected)")
                return list(record)
    return []


def _check_columns(name: str, offered: list[str], columns: dict[str, str], fmt: str) -> None:
    for wanted in columns.values():
        if wanted not in offered:
            what = "field" if fmt == "json" else "column"
            where = " in the first record" if fmt == "json" else ""
            shown = ", ".join(offered[:12]) + (", …" if len(offered) > 12 else "")
            raise ActivitySourceError(f"{name}: no {what} '{wanted}'{where} (it has: {shown or 'nothing'})")


def resolve_source(source, columns: dict[str, str]) -> Source:
    """The dump's non-empty files by format, each checked for the named columns (or the DataFrame)."""
    columns = {role: name for role, name in columns.items() if name is not None}
    if isinstance(source, pd.DataFrame):
        _check_columns("the DataFrame", [str(c) for c in source.columns], columns, "frame")
        return Source(columns, frame=source)
    items = [source] if isinstance(source, (str, Path)) else list(source)
    if not items:
        raise ActivitySourceError("no source given: pass a file, a folder, a glob pattern or a list of them")
    result = Source(columns, given=[str(item) for item in items])
    headers: dict[str, list[str]] = {}
    # Each file once, however many names reach it (a folder and a file in it, a symlink, ./a and a).
    unique: dict = {}
    for item in items:
        for path in _expand(item):
            unique.setdefault(path if isinstance(path, str) else path.resolve(), path)
    for path in unique.values():
        fmt = file_format(Path(path))
        if fmt is None:
            raise ActivitySourceError(f"{path}: unknown format; expected .csv, .ndjson, .jsonl or .json "
                                      "(each optionally .gz) or .parquet")
        if isinstance(path, str):
            result.files.setdefault(fmt, []).append(path)
            continue
        if _is_empty(path):
            continue
        offered = _file_columns(path, fmt)
        _check_columns(str(path), offered, columns, fmt)
        check_utf8(path, fmt)
        if headers.setdefault(fmt, offered) != offered:
            result.mixed_headers.add(fmt)
        if fmt == "csv":
            result.headers[path] = tuple(offered)
        result.files.setdefault(fmt, []).append(path)
    return result
