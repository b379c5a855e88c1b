"""Loaders return typed frames, from the shipped data and from a user's folder."""

import pandas as pd
import pytest

import migration_analysis as ma
from migration_analysis import schema

LOADERS = {
    "platforms": ma.load_platforms,
    "account_bans": ma.load_account_bans,
    "store_removals": ma.load_store_removals,
    "user_surges": ma.load_user_surges,
    "context_events": ma.load_context_events,
    "events": ma.load_events,
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
    table = {t.name: t for t in schema.all_tables()}[name]
    frame = LOADERS[name]()
    assert len(frame) > 0
    assert_typed(frame, table)
    order = frame.sort_values(list(table.sort_by), kind="mergesort").index
    assert list(order) == list(frame.index)


@pytest.mark.parametrize("name", LOADERS)
def test_loading_a_folder_validates_and_types_it(valid_dir, name):
    table = {t.name: t for t in schema.all_tables()}[name]
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
