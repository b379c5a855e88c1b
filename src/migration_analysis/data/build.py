"""raw → processed: validate data/raw, then write typed, sorted tables and the derived ones.

Nothing is written when the raw data is invalid. The outputs are written as one set
(``write_atomically``): staged in full, committed by one rename of a journal, then moved into
place, so an interrupted build leaves either the previous set or (finished by the next build) the
new one, never a mix. Unchanged inputs give byte-identical outputs.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from . import describe, schema
from .derive import process_tables
from .kinds import csv_text
from .load import typed_frame
from .staging import build_lock, commit, discard_uncommitted, recover, staging_dir, write_synced
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
    """Write every changed file as one set: all of them, or (after an interruption) none.

    Each file is written in full to a staging folder; then a journal naming them is written and
    renamed into place (the single step that commits the set); then the files are moved over
    their targets and the staging folder removed. A build killed before the journal leaves the
    previous set; one killed after it is finished by the next build (``recover``); ``load_table``
    refuses to read a half-swapped set. Two builds at once take turns (``build_lock``). Returns the
    paths whose content changed; unchanged files are left untouched.
    """
    if not outputs:
        return []
    staging = staging_dir(outputs)
    with build_lock(staging.parent):
        recover(staging)
        changed = [(path, text.encode("utf-8")) for path, text in outputs.items()
                   if not (path.exists() and path.read_bytes() == text.encode("utf-8"))]
        if not changed:
            return []
        try:
            staging.mkdir()
            for i, (path, data) in enumerate(changed):
                path.parent.mkdir(parents=True, exist_ok=True)
                write_synced(staging / f"{i:03d}", data)
            commit(staging, [(f"{i:03d}", path) for i, (path, _) in enumerate(changed)])
        except BaseException:
            discard_uncommitted(staging)
            raise
        recover(staging)
    return [path for path, _ in changed]


def build(root: str | Path | None = None) -> list[Path]:
    """Validate ``root``/data/raw and write the processed data and generated documents."""
    root = Path(root) if root is not None else find_root()
    return write_atomically(build_outputs(root))
