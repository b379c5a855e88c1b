"""Deterministic figure files: the same figure and data give the same bytes every time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMATS = ("png", "svg", "pdf")
# Metadata that would otherwise carry a version string or a timestamp into the file.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
SVG_HASH_SALT = "migration-analysis"


def save_figure(fig, name: str, out_dir: str | Path, formats=FORMATS, data: pd.DataFrame | None = None) -> list[Path]:
    """Write ``fig`` as ``out_dir/name.{png,svg,pdf}`` and ``data`` as ``name.csv``; return the paths.

    PNG carries no Software tag, SVG uses a fixed hash salt and no date, PDF has no creation date,
    so two runs give identical bytes. The CSV twin is the data actually plotted, for readers who
    want the numbers behind the chart.
    """
    import matplotlib as mpl

    if not name or Path(name).name != name or name in (".", "..") or "\\" in name:
        raise ValueError(f"figure name {name!r} must be a plain file name (no folder, no '..'): "
                         f"the files go into {out_dir} and nowhere else")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown figure format(s) {unknown}; use any of {list(FORMATS)}")
    written = []
    # Lay the figure out once, then keep that layout for every format: each savefig would
    # otherwise rerun the layout engine, which costs about as much as drawing the figure.
    fig.canvas.draw()
    engine = fig.get_layout_engine()
    fig.set_layout_engine("none")
    try:
        with mpl.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            for fmt in formats:
                path = out_dir / f"{name}.{fmt}"
                fig.savefig(path, format=fmt, metadata=_METADATA[fmt])
                written.append(path)
    finally:
        fig.set_layout_engine(engine)
    if data is not None:
        path = out_dir / f"{name}.csv"
        # A meaningful index (dates, names) is part of the data; a default 0…n-1 index is not.
        keep_index = not (isinstance(data.index, pd.RangeIndex) and data.index.name is None)
        data.to_csv(path, index=keep_index, lineterminator="\n", date_format="%Y-%m-%d", encoding="utf-8")
        written.append(path)
    return written
