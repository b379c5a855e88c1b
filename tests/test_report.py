"""The report as a reader gets it: `migration-analysis report --out DIR`, run once for the module."""

import base64
import datetime as dt
import html
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from html_pages import Styles, pixels, read_page

import migration_analysis as ma
from conftest import ROOT


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    work = tmp_path_factory.mktemp("report")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    before = sorted(p.name for p in (work / "notebooks").iterdir())
    # Ten notebooks executed: no wall-clock limit here (a busy machine is slow, not wrong); each cell has
    # the report's own 600 s limit, and a failing one is named (test_a_failing_notebook_is_named_…).
    exe = Path(sys.executable).with_name("migration-analysis")
    result = subprocess.run([str(exe), "report", "--out", str(work / "out"), "--notebooks", str(work / "notebooks"),
                             "--quiet"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Executing the notebooks wrote nothing beside them: exporting is the report's job, into --out only.
    assert sorted(p.name for p in (work / "notebooks").iterdir()) == before
    assert sorted(p.name for p in work.iterdir()) == ["notebooks", "out"]
    return work / "out"


def test_front_page_shows_every_figure_with_alt_text_caveat_and_files(report):
    page = (report / "index.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure id="([^"]+)"><img src="figures/([^"]+)" alt="([^"]+)"', page)
    assert [f[0] for f in figures] == [f.name for f in ma.FIGURES]
    for figure, (name, png, alt) in zip(ma.FIGURES, figures):
        assert (report / "figures" / png).is_file() and html.unescape(alt).startswith(figure.title)
        assert figure.caveat and figure.caveat.replace("'", "&#x27;") in page
        for ext in ("png", "svg", "pdf", "csv"):
            assert f'href="figures/{name}.{ext}"' in page and (report / "figures" / f"{name}.{ext}").is_file()
    assert f"version {ma.__version__}" in page and "CC BY 4.0" in page and "Cite as" in page
    assert "Key findings" in page


def test_notebook_pages_are_linked_self_contained_and_described(report):
    page = (report / "index.html").read_text(encoding="utf-8")
    pages = sorted(p.name for p in report.glob("[0-9][0-9]_*.html"))
    assert pages == sorted(f"{p.stem}.html" for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for name in pages:
        assert f'href="{name}"' in page
        text = (report / name).read_text(encoding="utf-8")
        assert not re.search(r'(?:src|href)="https?://', text), f"{name} loads something from the web"
        assert "No description has been provided" not in text, f"{name} has a chart without alt text"
        assert "&lt;NA&gt;" not in text and ">NaT<" not in text, f"{name} shows a missing-value marker to the reader"
        assert 'class="row_heading' not in text and 'class="blank level0' not in text, f"{name} shows index numbers"
    assert not re.search(r'(?:src|href)="https?://', page)


# --- the release and a readable page (#21) -----------------------------------------------------------------

def test_front_page_carries_the_release_the_data_date_and_the_release_documents(report):
    page = read_page(report / "index.html")
    release = page.find(id="release")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert f"version {cff['version']}," in " ".join(release.get_text().split())
    # The data's date: the last day a cited page was read, from the raw citations (not a date typed into the code).
    latest = pd.read_csv(ROOT / "data" / "raw" / "citations.csv", dtype=str)["accessed"].dropna().max()
    day = dt.date.fromisoformat(latest)
    time = release.find("time")
    assert time["datetime"] == latest and time.get_text() == f"{day.day} {day:%b} {day.year}"
    # The dated corrections and the changelog are linked, and the pages linked hold them.
    links = {a["href"]: a for a in release.find_all("a")}
    assert set(links) == {"corrections.html", "changelog.html"}
    corrections = read_page(report / "corrections.html").get_text()
    for heading in re.findall(r"^## (.+)$", (ROOT / "docs/corrections.md").read_text(encoding="utf-8"), re.M):
        assert heading in corrections
    changelog = read_page(report / "changelog.html").get_text()
    for version in re.findall(r"^## \[([^\]]+)\]", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M):
        assert f"[{version}]" in changelog
    # The citation the page asks for is CITATION.cff's.
    assert " ".join(cff["title"].split()) in " ".join(page.get_text().split())


def test_the_data_date_is_the_latest_accessed_day_of_the_raw_citations(tmp_path):
    from migration_analysis.report import data_as_of

    (tmp_path / "citations.csv").write_text(
        "id,fact_id,source_url,publisher,original_publisher,source_date,accessed,reported_date,reported_value,notes\n"
        "cite-0001,ban-0001,https://a.example/x,a,,2021-01-08,2026-11-22,,,\n"
        "cite-0002,ban-0001,https://b.example/y,b,,2021-01-09,2026-12-01,,,\n"
        "cite-0003,ban-0002,https://c.example/z,c,,2021-01-10,2026-09-30,,,\n", encoding="utf-8")
    assert data_as_of(tmp_path) == pd.Timestamp("2026-12-01")


def _png_width(data: bytes) -> int:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


def _report_pages(report):
    return [report / "index.html", *sorted(report.glob("[0-9][0-9]_*.html"))]


def test_every_figure_is_at_least_800_pixels_wide(report):
    checked = 0
    for path in _report_pages(report):
        page = read_page(path)
        styles = Styles(page)
        for img in page.find_all("img"):
            src = img["src"]
            data = (base64.b64decode(src.split(",", 1)[1]) if src.startswith("data:image/png;base64,")
                    else (report / src).read_bytes())
            # Drawn with enough pixels, and displayed at least that wide (the page scrolls on a narrow screen).
            assert _png_width(data) >= 800, f"{path.name}: {src[:60]} is {_png_width(data)} px wide"
            assert pixels(styles.value(img, "min-width")) >= 800, f"{path.name}: an image may be shown narrower"
            checked += 1
    assert checked >= len(ma.FIGURES) + 10


NUMBER = re.compile(r"[-−]?[\d,]*\.?\d+%?")


def _output_tables(report):
    """Every table the notebooks show, with its page's styles: (page name, table, styles)."""
    for path in _report_pages(report)[1:]:
        page = read_page(path)
        styles = Styles(page)
        for table in page.select(".jp-OutputArea-output table"):
            yield path.name, table, styles


def test_tables_align_text_left_and_numbers_right(report):
    columns = {"left": 0, "right": 0}
    for name, table, styles in _output_tables(report):
        headers = table.select("thead th")
        rows = [row.find_all("td") for row in table.select("tbody tr")]
        for i, header in enumerate(headers):
            cells = [row[i] for row in rows if len(row) > i and row[i].get_text(strip=True)]
            if not cells:
                continue
            expected = "right" if all(NUMBER.fullmatch(c.get_text(strip=True)) for c in cells) else "left"
            for cell in [header, *cells]:
                assert styles.value(cell, "text-align") == expected, (
                    f"{name}: column {header.get_text(strip=True)!r} ({cell.get_text(strip=True)!r}) is not {expected}-aligned")
            columns[expected] += 1
    assert columns["left"] > 50 and columns["right"] > 50, columns


# Counts of people a table may show: figures, per-day rates and mean daily counts of users, posts or accounts.
PEOPLE = re.compile(r"value|per_day|\w+_per_day|followers|accounts_affected|posts|active_users|new_users|"
                    r"(before|after|counterfactual)_mean")


def test_counts_of_people_are_shown_without_decimals(report):
    seen = set()
    for name, table, _ in _output_tables(report):
        headers = [th.get_text(strip=True) for th in table.select("thead th")]
        decimals = {"value"} if "measure" in headers else set()  # ma.wave_records: a multiple or a ratio, not people
        for row in table.select("tbody tr"):
            for header, cell in zip(headers, row.find_all("td")):
                if PEOPLE.fullmatch(header) and header not in decimals and cell.get_text(strip=True):
                    assert "." not in cell.get_text(), f"{name}: {header} shows {cell.get_text()!r}"
                    seen.add(header)
    assert {"per_day", "peak_per_day", "baseline_per_day", "before_mean", "value", "posts"} <= seen, seen


def test_wide_tables_scroll_in_their_own_box(report):
    tables = 0
    for name, table, styles in _output_tables(report):
        box = table.parent
        assert styles.value(box, "overflow-x") == "auto", f"{name}: a table does not scroll sideways in its box"
        # No box around it is laid out as a table cell or row, which would grow with the table instead.
        for outer in box.parents:
            if outer.name == "body":
                break
            assert styles.value(outer, "display") not in ("table-cell", "table-row", "table"), (name, outer.get("class"))
        tables += 1
    assert tables > 40


def test_a_failing_notebook_is_named_with_its_cell_and_no_report_is_left(tmp_path):
    import nbformat

    notebooks, out = tmp_path / "notebooks", tmp_path / "out"
    notebooks.mkdir()
    out.mkdir()
    (out / "keep.txt").write_text("a file of the user's", encoding="utf-8")
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Broken"),
                                           nbformat.v4.new_code_cell("x = 1"),
                                           nbformat.v4.new_code_cell("1 / 0  # the second code cell fails")])
    nbformat.write(book, notebooks / "01_broken.ipynb")
    exe = Path(sys.executable).with_name("migration-analysis")
    result = subprocess.run([str(exe), "report", "--out", str(out), "--notebooks", str(notebooks), "--quiet"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    # One line of ours (the kernel may print its own start-up warnings before it).
    lines = [line for line in result.stderr.splitlines() if line.startswith("migration-analysis")]
    expected = ("01_broken.ipynb: code cell 2 of 2 ('1 / 0  # the second code cell fails') failed: "
                "ZeroDivisionError: division by zero")
    assert len(lines) == 1 and "Traceback" not in result.stderr and expected in lines[0], result.stderr
    # The folder is as it was: the user's file, no index.html, no staging folder beside it.
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "out"]
