"""raw → processed: validate data/raw, then write typed, sorted tables and the derived ones.

Nothing is written when the raw data is invalid. Each output is first written in full to a
temporary file beside its target and then moved over it, so an interrupted build leaves every
previous file intact. Unchanged inputs give byte-identical outputs.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd

from . import describe, schema
from .derive import process_tables
from .kinds import csv_text
from .load import typed_frame
from .validate import validate_dir


def to_csv_text(frame: pd.DataFrame, table: schema.Table) -> str:
    """Serialise a typed table the same way every time (fixed column order, number format, LF)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    columns = [frame[c].tolist() for c in table.column_names]
    for values in zip(*columns):
        writer.writerow([csv_text(v, c) for v, c in zip(values, table.columns)])
    return out.getvalue()


def find_root(start: Path | None = None, hint: str = "pass --root") -> Path:
    """The nearest folder at or above ``start`` that holds data/raw; ``hint`` says what else the user can do."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir():
            return folder
    raise FileNotFoundError(f"no data/raw folder in {here} or above; run from the repository or {hint}")


def build_outputs(root: Path) -> dict[Path, str]:
    """Everything ``build`` writes, as {path: text}; raises DataValidationError on bad raw data."""
    raw = root / "data" / "raw"
    parsed = validate_dir(raw)
    tables = process_tables({name: typed_frame(p) for name, p in parsed.items()})
    processed = root / "data" / "processed"
    outputs = {processed / t.filename: to_csv_text(tables[t.name], t) for t in schema.PROCESSED_TABLES}
    # The descriptor's `bytes` and `hash` are of the files as this build leaves them.
    contents = {f"{folder}/{t.filename}": (outputs[processed / t.filename].encode("utf-8") if folder == "processed"
                                           else (raw / t.filename).read_bytes())
                for folder, t in describe.described_tables()}
    as_of = max((row["accessed"] for row in parsed["citations"].rows), default=None)
    outputs[root / "data" / "datapackage.json"] = describe.datapackage_json(contents, as_of)
    outputs[root / "docs" / "data_dictionary.md"] = describe.data_dictionary_markdown()
    readme = root / "README.md"
    if readme.exists():  # the README's counts follow the data, so adding a fact needs no hand edit there
        outputs[readme] = describe.readme_with_counts(readme.read_text(encoding="utf-8"), tables)
    return outputs


def write_atomically(outputs: dict[Path, str]) -> list[Path]:
    """Write every file to a temporary sibling first, then move them all into place.

    Returns the paths whose content changed; unchanged files are left untouched.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in outputs.items():
            data = text.encode("utf-8")
            if path.exists() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            staged.append((tmp, path))
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    return [path for _, path in staged]


def build(root: str | Path | None = None) -> list[Path]:
    """Validate ``root``/data/raw and write the processed data and generated documents."""
    root = Path(root) if root is not None else find_root()
    return write_atomically(build_outputs(root))
