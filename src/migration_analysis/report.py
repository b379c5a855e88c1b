"""The HTML report: every numbered notebook executed afresh and rendered without code cells."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from nbformat import NotebookNode


def notebook_paths(notebooks_dir: Path) -> list[Path]:
    """The numbered narrative notebooks (01_…, 02_…), in order."""
    return sorted(p for p in notebooks_dir.glob("[0-9][0-9]_*.ipynb"))


def execute_notebook(path: Path, timeout: int = 600, kernel_arguments: tuple[str, ...] = ()) -> NotebookNode:
    """Execute a notebook top to bottom in its own folder, recording no timings; returns the executed notebook.

    ``kernel_arguments`` go to the kernel's command line (the report uses them for sharper images)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            extra_arguments=list(kernel_arguments),
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        raise NotebookFailed(path, notebook, f"{exc.ename}: {exc.evalue}") from None
    except CellTimeoutError:
        raise NotebookFailed(path, notebook, f"timed out after {timeout} s") from None
    return notebook


class NotebookFailed(RuntimeError):
    """A notebook's cell raised (or timed out) while the notebook was executed: says which, in one line."""

    def __init__(self, path: Path, notebook, what: str):
        code = [c for c in notebook.cells if c.cell_type == "code"]
        failed = next((i for i, c in enumerate(code) if any(o.get("output_type") == "error" for o in c.get("outputs", []))),
                      None)
        where = f"code cell {failed + 1} of {len(code)}" if failed is not None else "a cell"
        first = code[failed].source.strip().splitlines()[0][:60] if failed is not None and code[failed].source.strip() else ""
        super().__init__(f"{path}: {where} ({first!r}) failed: {what}")


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


# The report's charts are drawn at 200 dpi (the exported PNGs' resolution), so that a 16 cm figure is about
# 1,260 pixels wide; the committed notebooks keep the house style's 100 dpi.
REPORT_KERNEL_ARGUMENTS = ("--InlineBackend.print_figure_kwargs={'bbox_inches': 'tight', 'dpi': 200}",)
MIN_FIGURE_PX = 800

# Added to every notebook and document page: figures at least MIN_FIGURE_PX wide (the page scrolls sideways
# on a narrower screen rather than shrinking a chart below legibility), and tables that scroll sideways in
# their own box (JupyterLab lays the output area out as a table, cell and row, which grow with their content;
# the output prompts that layout aligns are not shown in the report).
_PAGE_CSS = f"""<style type="text/css">
.jp-OutputArea-child {{ display: block; }}
.jp-OutputArea-child .jp-OutputArea-output, .jp-OutputArea-output {{ display: block; overflow-x: auto; }}
.jp-RenderedImage img, .jp-OutputArea-output img {{ min-width: {MIN_FIGURE_PX}px; max-width: 100%; height: auto; }}
.table-scroll {{ overflow-x: auto; max-width: 100%; }}
.table-scroll table {{ margin-left: 0; }}
</style>
"""
_TABLE_START, _TABLE_END = re.compile(r"<table\b"), re.compile(r"</table>")


def _readable(body: str) -> str:
    """A page as the report serves it: no scripts fetched from elsewhere, the page CSS, tables in scroll boxes."""
    body = _EXTERNAL_SCRIPT.sub("", body)
    body = body.replace("</head>", _PAGE_CSS + "</head>", 1)
    body = _TABLE_START.sub('<div class="table-scroll" style="overflow-x: auto;"><table', body)
    return _TABLE_END.sub("</table></div>", body)


def _html_page(notebook) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(notebook)
    return body


def render_notebook(path: Path, timeout: int = 600) -> str:
    """Execute a notebook top to bottom in its own folder and return a self-contained HTML page of it:
    no code cells, every chart with alt text, no scripts fetched from elsewhere."""
    notebook = execute_notebook(path, timeout, REPORT_KERNEL_ARGUMENTS)
    notebook.metadata["title"] = _title(path)
    body = _html_page(notebook)
    for alt in image_alt_texts(notebook):
        body = body.replace(_NO_ALT, f'alt="{html.escape(alt)}"', 1)
    return _readable(body)


def render_markdown(path: Path, title: str) -> str:
    """A Markdown document (the CHANGELOG, the corrections list) as a page styled like the notebook pages."""
    import nbformat

    notebook = nbformat.v4.new_notebook(metadata={"title": title})
    notebook.cells = [nbformat.v4.new_markdown_cell(path.read_text(encoding="utf-8"))]
    return _readable(_html_page(notebook))


def data_as_of(raw_dir: Path | None = None) -> pd.Timestamp:
    """The data's date: the latest ``accessed`` date in the raw ``citations.csv`` (the last day a cited page
    was read), as a Timestamp; ``raw_dir`` defaults to the raw data beside the shipped processed data."""
    import pandas as pd

    from .data.load import default_data_dir

    raw_dir = Path(raw_dir) if raw_dir is not None else default_data_dir().parent / "raw"
    accessed = pd.read_csv(raw_dir / "citations.csv", usecols=["accessed"], dtype="string")["accessed"]
    return pd.to_datetime(accessed.dropna(), format="%Y-%m-%d").max()


# Release documents the index page links to, rendered into the report folder: (source in the repository
# that holds the data, page written, link text).
RELEASE_DOCUMENTS = (
    ("docs/corrections.md", "corrections.html", "Corrections to the data, with their dates"),
    ("CHANGELOG.md", "changelog.html", "Changelog: every change to the data and the code, by release"),
)


def _repository() -> Path:
    """The checkout the shipped data comes from (in an installed wheel, a folder without the documents)."""
    from .data.load import default_data_dir

    return default_data_dir().parents[1]


_CSS = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
figure { margin: 1.5rem 0 2.5rem; overflow-x: auto; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .95rem; } .caveat { color: #555; } .meta { color: #555; font-size: .95rem; }
.files a { margin-right: .8rem; } code { background: #f4f4f4; padding: 0 .2rem; }
""" + f"figure img {{ width: 100%; min-width: {MIN_FIGURE_PX}px; }}\n"


# The title in CITATION.cff (the wheel does not ship that file; a test keeps the two equal).
CITATION_TITLE = ("migration-analysis: a sourced dataset of platform bans, app-store removals, user surges and context "
                  "across the migration waves of 2018–2026")


def _dataset_facts() -> dict:
    """Counts and dates the report page states, from the shipped data."""
    import pandas as pd

    from . import __version__
    from .analysis import overview
    from .data import load, schema

    facts = {t.name: load.load_table(t.name) for t in schema.FACT_TABLES}
    waves = load.load_table("waves")
    citations = load.load_citations()
    tiers = overview.facts_by_tier(facts | {"citations": citations})
    best = pd.concat(facts.values())["best_tier"]
    return {
        "version": __version__, "facts": sum(map(len, facts.values())), "citations": len(citations),
        "pages": citations["source_url"].nunique(), "as_of": data_as_of(),
        "tier_1_2": float((best <= 2).mean()), "tier_4": float((best == 4).mean()),
        "disputed": int(sum(int(f["disputed"].sum()) for f in facts.values())), "tiers": tiers,
        "first_year": int(waves["start"].min().year), "last_year": int(waves["end"].max().year),
    }


def index_html(pages: list[tuple[str, str]], figures: list, data: dict | None = None,
               documents: list[tuple[str, str]] | None = None, waves: list[tuple[str, str, str]] | None = None) -> str:
    """The report's front page: the release (version, the data's date, corrections and changelog), findings,
    every figure with alt text and caveat, a page per wave, the notebooks, licence and citation.
    ``documents`` are the release documents written beside it, as (file name, link text); ``waves`` the
    wave pages, as (file name, wave name, the timeline's finding)."""
    from .formatting import day_text

    data = data or _dataset_facts()
    e = html.escape
    as_of = data["as_of"]
    if documents:
        release_docs = " ".join(f'<a href="{e(name)}">{e(text)}</a>.' for name, text in documents)
    else:  # an installed wheel: the documents ship in the sdist only
        release_docs = ("Dated corrections: <code>docs/corrections.md</code>; every change: <code>CHANGELOG.md</code> "
                        "(in the source distribution).")
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
    wave_list = "".join(f'<li><a href="{e(f)}">{e(name)}</a>: {e(finding)}.</li>' for f, name, finding in waves or [])
    wave_section = (f"<h2>Wave by wave</h2>\n<p>A page per wave, generated from the data: its window and triggers, "
                    f"its timeline, where users went, every fact with its pages, and what the data lacks.</p>\n"
                    f"<ul>{wave_list}</ul>" if waves else "")
    years = f"{data['first_year']}–{data['last_year']}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>migration-analysis: platform bans, app-store removals and user surges</title><style>{_CSS}</style></head>
<body>
<h1>Platform migration waves, {years}: bans, removals, blocks and user surges</h1>
<p class="meta" id="release">migration-analysis dataset version {e(data["version"])}, data and code released
together; data as of <time datetime="{as_of:%Y-%m-%d}">{day_text(as_of)}</time> (the latest day a cited page was
read). {release_docs}</p>
<p class="meta">{data["facts"]:,} facts, each stored once, stated by {data["citations"]:,} citations of {data["pages"]:,} pages;
{data["tier_1_2"]:.0%} of facts have a best source in tier 1 or 2 (the actor, a record, a wire service or national
outlet), {data["tier_4"]:.0%} rest on tier-4 pages only (mirrors, blogs, partisan or state media), and
{data["disputed"]:,} have pages that give another date or value.</p>
<h2>Key findings</h2>
<ul>{findings}</ul>
<h2>Figures</h2>
{"".join(figure_blocks)}
{wave_section}
<h2>Notebooks</h2>
<p>Each notebook, executed afresh for this report, with its code hidden:</p>
<ul>{notebooks}</ul>
<h2>Licence and citation</h2>
<p>Code: MIT. Our curation of the data: CC BY 4.0; the sources keep their own terms. Cite as:
migration-analysis contributors, <em>{e(CITATION_TITLE)}</em>, version {e(data["version"])}
(see <code>CITATION.cff</code>). Every number is traceable to the pages in <code>data/raw/citations.csv</code>;
company figures are claims, labelled as such.</p>
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
    """Write one HTML page per notebook, the figure set under figures/, and an index page.

    The report reaches ``out_dir`` whole, once every page is rendered (``data.staging.staged_folder``);
    a notebook that fails stops it with ``NotebookFailed``, naming the notebook and the cell, and
    leaves ``out_dir`` as it was.
    """
    from .charts.figures import export_all
    from .data.staging import staged_folder

    notebooks = notebook_paths(notebooks_dir)
    if not notebooks:
        raise FileNotFoundError(f"no numbered notebooks (01_….ipynb) in {notebooks_dir}")
    out_dir = Path(out_dir)
    written, pages = [], []
    items = notebooks
    if progress:
        from tqdm import tqdm

        items = tqdm(notebooks, desc="notebooks", unit="nb", ncols=80)
    with staged_folder(out_dir) as staging:
        for path in items:
            name = f"{path.stem}.html"
            (staging / name).write_text(render_notebook(path), encoding="utf-8")
            written.append(out_dir / name)
            pages.append((name, _title(path)))
        documents = []
        for source, name, text in RELEASE_DOCUMENTS:
            if (_repository() / source).is_file():
                (staging / name).write_text(render_markdown(_repository() / source, text), encoding="utf-8")
                written.append(out_dir / name)
                documents.append((name, text))
        figures = export_all(staging / "figures", progress=progress)
        from .charts.figures import load_all
        from .wave_pages import write_wave_pages

        wave_pages = write_wave_pages(load_all(), staging, _CSS)
        written += [out_dir / page for page, _, _ in wave_pages]
        (staging / "index.html").write_text(index_html(pages, figures, documents=documents, waves=wave_pages),
                                            encoding="utf-8")
    figure_paths = [out_dir / "figures" / p.name for x in figures for p in x.paths]
    return written + figure_paths + [out_dir / "index.html"]
