"""The evidence promises that can be checked offline (issue 11)."""


import pytest

import migration_analysis as ma
from migration_analysis import schema


@pytest.fixture(scope="module")
def evidence():
    citations, publishers = ma.load_citations(), ma.load_publishers().set_index("publisher")
    return citations, publishers


def test_tiers_come_from_the_site_each_page_was_read_on(evidence):
    citations, publishers = evidence
    assert citations["tier"].tolist() == publishers.loc[citations["publisher"], "tier"].tolist()
    for table in schema.FACT_TABLES:
        facts = ma.load_table(table.name).set_index("id")
        best = citations[citations["fact_table"] == table.name].groupby("fact_id")["tier"].min()
        assert facts["best_tier"].to_dict() == best.reindex(facts.index).to_dict(), table.name


def test_no_mirror_copy_where_the_outlet_itself_is_cited(evidence):
    citations, publishers = evidence
    kinds = citations["publisher"].map(publishers["kind"])
    by_fact = citations.groupby("fact_id")["publisher"].agg(set)
    copies = citations[(kinds == "mirror") & citations["original_publisher"].notna()]
    redundant = [c.id for c in copies.itertuples() if c.original_publisher in by_fact[c.fact_id]]
    assert redundant == [], "mirror copies kept beside the outlet's own page"


def test_inferred_windows_are_flagged_and_explained():
    surges = ma.load_user_surges()
    flagged = surges[surges["period_inferred"]]
    assert flagged["notes"].notna().all(), "an inferred window must say in its notes how it was placed"
    # Wording that places a relative span on days marks an inferred window; it must carry the flag.
    placed = surges["notes"].fillna("").str.contains(r"taken as \d|approximated as|placed on", case=False)
    unflagged = surges.loc[placed & ~surges["period_inferred"] & (surges["date_precision"] == "day"), "id"]
    assert unflagged.tolist() == []
