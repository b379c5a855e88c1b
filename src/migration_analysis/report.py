"""The HTML report: every numbered notebook executed afresh and rendered without code cells."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat import NotebookNode


def notebook_paths(notebooks_dir: Path) -> list[Path]:
    """The numbered narrative notebooks (01_…, 02_…), in order."""
    return sorted(p for p in notebooks_dir.glob("[0-9][0-9]_*.ipynb"))


def execute_notebook(path: Path, timeout: int = 600) -> NotebookNode:
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


_NO_ALT = 'alt="No description has been provided for this image"'
_EXTERNAL_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*')


def _plain(markdown: str, limit: int = 300) -> str:
    text = re.sub(r"[*_`#>]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", markdown)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def image_alt_texts(notebook) -> list[str]:
    """One alt text per image output, in order: the narrative cell that introduces the result."""
    alts, lead = [], ""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lead = _plain(cell.source)
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                alts.append(f"Chart: {lead}" if lead else "Chart")
    return alts


def render_notebook(path: Path, timeout: int = 600) -> str:
    """Execute a notebook top to bottom in its own folder and return a self-contained HTML page of it:
    no code cells, every chart with alt text, no scripts fetched from elsewhere."""
    from nbconvert import HTMLExporter

    notebook = execute_notebook(path, timeout)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    for alt in image_alt_texts(notebook):
        body = body.replace(_NO_ALT, f'alt="{html.escape(alt)}"', 1)
    return _EXTERNAL_SCRIPT.sub("", body)


_CSS = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
figure { margin: 1.5rem 0 2.5rem; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .95rem; } .caveat { color: #555; } .meta { color: #555; font-size: .95rem; }
.files a { margin-right: .8rem; } code { background: #f4f4f4; padding: 0 .2rem; }
"""


def _dataset_facts() -> dict:
    """Counts and dates the report page states, from the shipped data."""
    import pandas as pd

    from . import __version__
    from .analysis import overview
    from .data import load, schema

    facts = {t.name: load.load_table(t.name) for t in schema.FACT_TABLES}
    citations = load.load_citations()
    tiers = overview.facts_by_tier(facts | {"citations": citations})
    best = pd.concat(facts.values())["best_tier"]
    return {
        "version": __version__, "facts": sum(map(len, facts.values())), "citations": len(citations),
        "pages": citations["source_url"].nunique(), "as_of": citations["accessed"].max(),
        "tier_1_2": float((best <= 2).mean()), "tier_4": float((best == 4).mean()),
        "disputed": int(sum(int(f["disputed"].sum()) for f in facts.values())), "tiers": tiers,
    }


def index_html(pages: list[tuple[str, str]], figures: list, data: dict | None = None) -> str:
    """The report's front page: findings, every figure with alt text and caveat, version, licence, citation."""
    from .formatting import day_text

    data = data or _dataset_facts()
    e = html.escape
    findings = "".join(f"<li><strong>{e(x.figure.title)}.</strong> {e(x.subtitle)}.</li>" for x in figures)
    figure_blocks, section = [], None
    for x in figures:
        if x.figure.section != section:
            section = x.figure.section
            figure_blocks.append(f"<h3>{e(section)}</h3>")
        files = " ".join(f'<a href="figures/{e(p.name)}">{p.suffix[1:].upper()}</a>' for p in x.paths)
        png = next(p for p in x.paths if p.suffix == ".png")
        figure_blocks.append(
            f'<figure id="{e(x.figure.name)}"><img src="figures/{e(png.name)}" '
            f'alt="{e(x.figure.title)}: {e(x.subtitle)}" loading="lazy">'
            f"<figcaption><strong>{e(x.figure.title)}.</strong> {e(x.subtitle)}."
            + (f' <span class="caveat">Note: {e(x.figure.caveat)}</span>' if x.figure.caveat else "")
            + f'<br><span class="files">Download: {files}</span></figcaption></figure>')
    notebooks = "".join(f'<li><a href="{e(f)}">{e(t)}</a></li>' for f, t in pages)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>migration-analysis: platform bans, app-store removals and user surges</title><style>{_CSS}</style></head>
<body>
<h1>Platform migration waves, 2018–2025: bans, removals, blocks and user surges</h1>
<p class="meta">migration-analysis dataset version {e(data["version"])}, pages read up to {day_text(data["as_of"])}.
{data["facts"]:,} facts, each stored once, stated by {data["citations"]:,} citations of {data["pages"]:,} pages;
{data["tier_1_2"]:.0%} of facts have a best source in tier 1 or 2 (the actor, a record, a wire service or national
outlet), {data["tier_4"]:.0%} rest on tier-4 pages only (mirrors, blogs, partisan or state media), and
{data["disputed"]:,} have pages that give another date or value.</p>
<h2>Key findings</h2>
<ul>{findings}</ul>
<h2>Figures</h2>
{"".join(figure_blocks)}
<h2>Notebooks</h2>
<p>Each notebook, executed afresh for this report, with its code hidden:</p>
<ul>{notebooks}</ul>
<h2>Licence and citation</h2>
<p>Code: MIT. Our curation of the data: CC BY 4.0; the sources keep their own terms. Cite as:
migration-analysis contributors, <em>migration-analysis: a sourced dataset of platform bans, app-store removals
and user surges</em>, version {e(data["version"])} (see <code>CITATION.cff</code>). Every number is traceable to
the pages in <code>data/raw/citations.csv</code>; company figures are claims, labelled as such.</p>
</body></html>
"""


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
    from .charts.figures import export_all

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
    index.write_text(index_html(pages, figures), encoding="utf-8")
    return written + [p for x in figures for p in x.paths] + [index]
