"""The counts the README quotes are the data's, so they cannot go stale silently."""

import re

import pandas as pd

import migration_analysis as ma
from migration_analysis import schema
from conftest import ROOT


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
