"""Loaders return typed frames, from the shipped data and from a user's folder."""

import pandas as pd
import pytest

import migration_analysis as ma
from conftest import VALID
from migration_analysis import schema

LOADERS = {
    "platforms": ma.load_platforms,
    "account_bans": ma.load_account_bans,
    "store_removals": ma.load_store_removals,
    "user_surges": ma.load_user_surges,
    "context_events": ma.load_context_events,
    "waves": ma.load_waves,
    "publishers": ma.load_publishers,
    "citations": ma.load_citations,
    "events": ma.load_events,
    "wave_profiles": ma.load_wave_profiles,
    "surge_rates": ma.load_surge_rates,
}


def assert_typed(frame: pd.DataFrame, table: schema.Table) -> None:
    assert list(frame.columns) == table.column_names
    for col in table.columns:
        dtype = frame[col.name].dtype
        if col.kind == "date":
            assert pd.api.types.is_datetime64_dtype(dtype), col.name
        elif col.kind == "enum":
            assert isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == list(col.enum), col.name
        elif col.kind in ("integer", "year"):
            assert dtype == "Int64", col.name
        elif col.kind == "number":
            assert dtype == "Float64", col.name
        elif col.kind == "boolean":
            assert dtype == "boolean", col.name
        else:
            assert isinstance(dtype, pd.StringDtype), (col.name, dtype)


@pytest.mark.parametrize("name", LOADERS)
def test_shipped_tables_are_typed_and_sorted(name):
    table = schema.processed_table(name)
    frame = LOADERS[name]()
    assert len(frame) > 0
    assert_typed(frame, table)
    order = frame.sort_values(list(table.sort_by), kind="mergesort").index
    assert list(order) == list(frame.index)


@pytest.mark.parametrize("name", LOADERS)
def test_loading_a_folder_validates_and_types_it(valid_dir, name):
    table = schema.processed_table(name)
    frame = LOADERS[name](data_dir=valid_dir)
    assert_typed(frame, table)


def test_values_from_a_folder(valid_dir):
    surges = ma.load_user_surges(data_dir=valid_dir)
    assert surges["value"].tolist() == [1500000.0, 25000000.0, 9500000.0]
    assert surges["derived"].tolist() == [False, False, True]
    assert surges["period_start"].iloc[0] == pd.Timestamp("2020-01-01")
    bans = ma.load_account_bans(data_dir=valid_dir)
    assert bans["id"].tolist() == ["ban-0002", "ban-0001"]  # sorted by date: the month-precision row first
    assert bans["accounts_affected"].iloc[0] == 70000 and pd.isna(bans["accounts_affected"].iloc[1])
    platforms = ma.load_platforms(data_dir=valid_dir)
    assert platforms.set_index("platform").loc["telegram", "country"] == "NA"
    assert pd.isna(platforms.set_index("platform").loc["google_play", "founded"])


def test_events_derived_from_a_raw_folder(valid_dir):
    events = ma.load_events(data_dir=valid_dir)
    assert events["event_id"].tolist() == ["ban-0002", "ctx-0001", "ban-0001", "store-0001"]
    labels = dict(zip(events["event_id"], events["label"]))
    assert labels["ban-0001"] == "Twitter permanently suspended realDonaldTrump"
    assert labels["ban-0002"] == "Twitter suspended QAnon-linked accounts (70,000 accounts)"
    assert labels["store-0001"] == "Google Play removed Parler"
    assert events.set_index("event_id").loc["store-0001", "actor"] == "google_play"
    assert events.set_index("event_id").loc["store-0001", "platform"] == "parler"


def test_bad_folder_raises(valid_dir):
    path = valid_dir / "account_bans.csv"
    path.write_text(path.read_text().replace("2021-01-08,day", "2021-01-08,week"))
    with pytest.raises(ma.DataValidationError, match=r"account_bans.csv:2: column 'date_precision'"):
        ma.load_account_bans(data_dir=valid_dir)


def test_every_table_has_a_loader_and_load_table_knows_them_all():
    assert ma.table_names() == ["platforms", "account_bans", "store_removals", "user_surges", "context_events",
                                "waves", "publishers", "citations", "events", "surge_rates", "wave_profiles"]
    assert set(LOADERS) == set(ma.table_names())
    for name in ma.table_names():
        pd.testing.assert_frame_equal(ma.load_table(name), LOADERS[name]())
    with pytest.raises(ValueError, match="no table named 'bans'; the tables are: platforms, account_bans"):
        ma.load_table("bans")


def test_evidence_columns_summarise_the_citations(valid_dir):
    # ban-0001 is cited by the company's own page (tier 1) and by a mirror (tier 4) giving another day.
    bans = ma.load_account_bans(data_dir=valid_dir).set_index("id")
    assert bans.loc["ban-0001", ["n_sources", "best_tier", "disputed"]].tolist() == [2, 1, True]
    assert bans.loc["ban-0001", "source_url"] == "https://company.example.org/ban"
    assert bans.loc["ban-0001", "source_publisher"] == "example_company"
    assert bans.loc["ban-0002", ["n_sources", "best_tier", "disputed"]].tolist() == [1, 2, False]
    events = ma.load_events(data_dir=valid_dir).set_index("event_id")
    assert events.loc["ban-0001", ["n_sources", "best_tier"]].tolist() == [2, 1]
    citations = ma.load_citations(data_dir=valid_dir).set_index("id")
    assert citations.loc["cite-0006", ["fact_table", "tier"]].tolist() == ["account_bans", 4]


def test_a_fact_table_alone_loads_without_evidence(tmp_path):
    (tmp_path / "user_surges.csv").write_bytes((VALID / "user_surges.csv").read_bytes())
    surges = ma.load_user_surges(data_dir=tmp_path)
    assert surges["n_sources"].tolist() == [0, 0, 0]
    assert surges["source_url"].isna().all() and surges["best_tier"].isna().all()


def test_events_need_their_tables(tmp_path):
    (tmp_path / "account_bans.csv").write_bytes((VALID / "account_bans.csv").read_bytes())
    with pytest.raises(ma.DataValidationError, match=r"platforms.csv:1: is missing; events is made from"):
        ma.load_events(data_dir=tmp_path)


def test_disagreements_come_from_the_citations(valid_dir):
    tables = {name: ma.load_table(name, data_dir=valid_dir) for name in ma.table_names()}
    found = ma.find_disagreements(tables)
    rows = found[["fact_id", "field", "accepted", "reported", "citations"]].values.tolist()
    assert rows == [
        ["ban-0001", "date", "2021-01-08", "2021-01-09", "cite-0006"],
        ["ban-0001", "followers", "88,700,000", "89,000,000", "cite-0006"],
        ["surge-0002", "value", "25,000,000", "24,000,000", "cite-0012"],
    ]


def test_shipped_disagreements_need_no_argument():
    found = ma.find_disagreements()
    disputed = pd.concat([ma.load_table(t.name) for t in schema.FACT_TABLES])
    assert set(found["fact_id"]) == set(disputed.loc[disputed["disputed"], "id"])


def test_weakly_sourced_is_exactly_the_facts_cited_only_on_tier_4_sites():
    citations, publishers = ma.load_citations(), ma.load_publishers()
    tiers = citations["publisher"].map(dict(zip(publishers["publisher"], publishers["tier"])))
    only_tier_4 = set(citations.loc[tiers.groupby(citations["fact_id"]).transform("min") == 4, "fact_id"])
    for table in schema.FACT_TABLES:
        facts = ma.load_table(table.name)
        assert set(facts.loc[facts["weakly_sourced"], "id"]) == only_tier_4 & set(facts["id"]), table.name
    events = ma.load_events()
    assert set(events.loc[events["weakly_sourced"], "event_id"]) == only_tier_4 & set(events["event_id"])
