"""The HTML report: every numbered notebook executed afresh and rendered without code cells."""

from __future__ import annotations

import html
from pathlib import Path


def notebook_paths(notebooks_dir: Path) -> list[Path]:
    """The numbered narrative notebooks (01_…, 02_…), in order."""
    return sorted(p for p in notebooks_dir.glob("[0-9][0-9]_*.ipynb"))


def execute_notebook(path: Path, timeout: int = 600):
    """Execute a notebook top to bottom in its own folder, recording no timings; returns the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def execute_in_place(path: str | Path, timeout: int = 600) -> None:
    """Re-execute a committed notebook and save it with its new outputs (``make notebooks``)."""
    import nbformat

    nbformat.write(execute_notebook(Path(path), timeout), path)


def render_notebook(path: Path, timeout: int = 600) -> str:
    """Execute a notebook top to bottom in its own folder and return its HTML without code cells."""
    from nbconvert import HTMLExporter

    notebook = execute_notebook(path, timeout)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    return body


def _index(pages: list[tuple[str, str]], figures: list[Path]) -> str:
    items = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(t)}</a></li>' for f, t in pages)
    figs = "\n".join(f'<li><a href="figures/{html.escape(p.name)}">{html.escape(p.name)}</a></li>'
                     for p in figures if p.suffix == ".png")
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>migration-analysis report</title>"
            "</head><body>\n<h1>migration-analysis report</h1>\n<h2>Notebooks</h2>\n<ul>\n" + items +
            "\n</ul>\n<h2>Figures (each also as SVG, PDF and a CSV of the plotted data)</h2>\n<ul>\n" + figs +
            "\n</ul>\n</body></html>\n")


def _title(path: Path) -> str:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("# ").strip()
    return path.stem


def build_report(notebooks_dir: Path, out_dir: Path, progress: bool = False) -> list[Path]:
    """Write one HTML page per notebook, the figure set under figures/, and an index page."""
    from .figures import export_all

    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = notebook_paths(notebooks_dir)
    if not notebooks:
        raise FileNotFoundError(f"no numbered notebooks (01_….ipynb) in {notebooks_dir}")
    written, pages = [], []
    items = notebooks
    if progress:
        from tqdm import tqdm

        items = tqdm(notebooks, desc="notebooks", unit="nb", ncols=80)
    for path in items:
        target = out_dir / f"{path.stem}.html"
        target.write_text(render_notebook(path), encoding="utf-8")
        written.append(target)
        pages.append((target.name, _title(path)))
    figures = export_all(out_dir / "figures", progress=progress)
    index = out_dir / "index.html"
    index.write_text(_index(pages, figures), encoding="utf-8")
    return written + figures + [index]
