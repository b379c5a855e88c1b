"""ma.show_table as a reader sees it: which columns, which text in each cell, which alignment (#21)."""

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from html_pages import Styles

import migration_analysis as ma


def shown(frame, **options) -> tuple[list[str], list[list[str]], list[str]]:
    """Headers, cell texts and each column's alignment of the table as rendered."""
    page = BeautifulSoup(ma.show_table(frame, **options).to_html(), "html.parser")
    styles = Styles(page)
    headers = page.select("thead th")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in page.select("tbody tr")]
    align = [styles.value(th, "text-align") for th in headers]
    for tr in page.select("tbody tr"):  # every cell is aligned as its header
        assert [styles.value(td, "text-align") for td in tr.find_all("td")] == align
    return [th.get_text() for th in headers], rows, align


@pytest.mark.parametrize("index", [[10, 20], ["x", "y"], pd.to_datetime(["2021-01-06", "2021-01-07"]),
                                   pd.MultiIndex.from_tuples([("a", 1), ("b", 2)])])
def test_an_unnamed_index_is_dropped_whatever_its_kind(index):
    headers, rows, _ = shown(pd.DataFrame({"platform": ["signal", "telegram"], "value": [1, 2]}, index=index))
    assert headers == ["platform", "value"]
    assert rows == [["signal", "1"], ["telegram", "2"]]


def test_a_filtered_frame_shows_no_index_column():
    frame = pd.DataFrame({"platform": ["gab", "signal", "telegram"], "value": [5, 1_000, 25_000_000]})
    headers, rows, _ = shown(frame[frame["value"] > 100])
    assert headers == ["platform", "value"] and rows == [["signal", "1,000"], ["telegram", "25,000,000"]]


def test_a_named_index_and_named_levels_become_columns():
    frame = pd.DataFrame({"platform": ["signal", "telegram"], "value": [1, 2]})
    assert shown(frame.set_index("platform"))[:2] == (["platform", "value"], [["signal", "1"], ["telegram", "2"]])
    ranged = frame.rename_axis("rank")
    assert shown(ranged)[0] == ["rank", "platform", "value"]
    levels = frame.set_index(pd.MultiIndex.from_tuples([("w1", "x"), ("w2", "y")], names=["wave", None]))
    assert shown(levels)[:2] == (["wave", "platform", "value"], [["w1", "signal", "1"], ["w2", "telegram", "2"]])


def test_text_and_dates_left_numbers_right():
    frame = pd.DataFrame({"id": ["surge-0002"], "date": pd.to_datetime(["2021-01-10"]), "derived": [False],
                          "value": pd.array([25_000_000], dtype="Int64"), "multiplier": [5.5555]})
    headers, rows, align = shown(frame)
    assert rows == [["surge-0002", "10 Jan 2021", "no", "25,000,000", "5.56"]]
    assert align == ["left", "left", "left", "right", "right"]


def test_counts_of_people_show_no_decimals_ratios_two():
    frame = pd.DataFrame({"per_day": [25_000_000 / 3], "baseline_per_day": [1_814_285.714], "before_mean": [143.71],
                          "counterfactual_mean": [954.5001], "multiplier": [2 / 3], "share": [0.125]})
    assert shown(frame)[1] == [["8,333,333", "1,814,286", "144", "955", "0.67", "0.12"]]
    assert shown(frame, decimals={"per_day": 1, "share": 3})[1][0][::5] == ["8,333,333.3", "0.125"]


def test_a_shown_table_prints_its_size_not_a_memory_address():
    # A notebook keeps the plain-text form of every output: an address would change on every run.
    assert repr(ma.show_table(pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}))) == "<table: 3 rows, 2 columns>"
    assert repr(ma.show_table(pd.DataFrame({"a": [1]}))) == "<table: 1 row, 1 column>"
