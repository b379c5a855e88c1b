"""The report as a reader gets it: `migration-analysis report --out DIR`, run once for the module."""

import html
import re
import shutil

import pytest

import migration_analysis as ma
from conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    work = tmp_path_factory.mktemp("report")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    before = sorted(p.name for p in (work / "notebooks").iterdir())
    result = run_cli("report", "--out", str(work / "out"), "--notebooks", str(work / "notebooks"), "--quiet")
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
