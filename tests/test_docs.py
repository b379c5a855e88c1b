"""The counts the README quotes are the data's, so they cannot go stale silently."""

import re

import pandas as pd

import migration_analysis as ma
from conftest import ROOT
from migration_analysis import schema


def test_readme_counts_match_the_data():
    facts = {t.name: ma.load_table(t.name) for t in schema.FACT_TABLES}
    citations = ma.load_citations()
    tiers = pd.concat(facts.values())["best_tier"].value_counts()
    expected = (
        f"{len(facts['account_bans'])} account actions, {len(facts['store_removals'])} app-store and "
        f"infrastructure actions, {len(facts['user_surges'])} user figures, {len(facts['context_events'])} context "
        f"events and {len(facts['platforms'])} platforms: {sum(map(len, facts.values()))} facts, stated by "
        f"{len(citations)} citations of {citations['source_url'].nunique()} distinct pages read on "
        f"{citations['publisher'].nunique()} sites. {ma.find_disagreements()['fact_id'].nunique()} facts have a page "
        f"that gives another date or value. Facts by the tier of their best page: "
        + ", ".join(f"{tiers.get(t, 0)} in tier {t}" for t in schema.TIERS)
    )
    readme = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert expected in readme


def readme_snippets() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_every_readme_snippet_runs(tmp_path, monkeypatch):
    """The Python snippets, run in order as a reader would, from a folder holding the files they name."""
    import shutil

    import matplotlib

    matplotlib.use("Agg")
    shutil.copytree(ROOT / "examples" / "own_data", tmp_path / "my_folder")
    shutil.copy(ROOT / "tests" / "fixtures" / "trends" / "multiTimeline_day.csv", tmp_path / "multiTimeline.csv")
    monkeypatch.chdir(tmp_path)
    snippets = readme_snippets()
    assert len(snippets) >= 2
    namespace: dict = {}
    for snippet in snippets:
        exec(compile(snippet, "README.md", "exec"), namespace)
    assert sorted(p.name for p in (tmp_path / "my_figures").iterdir()) == [
        "surges.csv", "surges.pdf", "surges.png", "surges.svg"]


def test_own_data_template_has_every_raw_table_with_its_header():
    folder = ROOT / "examples" / "own_data"
    for table in schema.RAW_TABLES:
        assert (folder / table.filename).read_text(encoding="utf-8") == ",".join(table.column_names) + "\n"


def test_dates_in_words_and_tables_for_readers():
    assert ma.day_text("2021-01-06") == "6 Jan 2021" and ma.day_text("2021-01-06", year=False) == "6 Jan"
    assert ma.period_text("2021-01-10", "2021-01-12") == "10–12 Jan 2021"
    assert ma.period_text("2020-12-28", "2021-01-03") == "28 Dec 2020 – 3 Jan 2021"
    frame = pd.DataFrame({"platform": ["telegram", None], "value": [25_000_000.0, None],
                          "share": [0.38, 0.275], "day": pd.to_datetime(["2021-01-10", None])})
    html = ma.show_table(frame).to_html()
    assert "25,000,000" in html and "0.28" in html and "10 Jan 2021" in html
    assert "nan" not in html and "NaT" not in html and "None" not in html and "row_heading" not in html
