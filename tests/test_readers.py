"""The readers of a user's own series (#22): nothing out of range, repeated or non-finite gets through, and
every problem names the file, the line an editor shows, the column and the value."""

import io

import numpy as np
import pandas as pd
import pytest

import migration_analysis as ma
from migration_analysis import DataValidationError

TRENDS_HEAD = "Category: All categories\n\nDay,x: (US)\n"  # the header is line 3, the first row line 4


def problems(reader, tmp_path, text: str) -> list[str]:
    path = tmp_path / "series.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        reader(path)
    return [str(p).removeprefix(f"{path}:") for p in info.value.problems]


# --- read_daily_series -----------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "nan", "NaN", "1e400"])
def test_daily_series_rejects_non_finite_values(tmp_path, cell):
    found = problems(ma.read_daily_series, tmp_path, f"date,value\n2021-01-01,1\n2021-01-02,{cell}\n")
    assert found == [f"3: column 'value': is not a finite number; leave the cell empty where the value is missing "
                     f"(value '{cell}')"]


def test_daily_series_lines_after_a_quoted_newline_are_an_editors(tmp_path):
    text = 'date,value,note\n2021-01-01,1,"two\nlines"\n2021-01-01,2,\n2021-01-03,many,\n'
    assert problems(ma.read_daily_series, tmp_path, text) == [
        "4: column 'date': repeats the date on line 2 (value '2021-01-01')",
        "5: column 'value': is not a number (value 'many')",
    ]


def test_daily_series_a_header_after_blank_lines_is_named_at_its_line(tmp_path):
    assert problems(ma.read_daily_series, tmp_path, "\n\nwhen,value\n") == ["3: column 'date': is missing from the header"]


def test_daily_series_unclosed_quote_is_a_problem_not_a_csv_error(tmp_path):
    assert problems(ma.read_daily_series, tmp_path, 'date,value\n2021-01-01,1\n2021-01-02,"2\n') == [
        "3: cannot be read as CSV: unexpected end of data"]


def test_daily_series_reads_a_long_cell_it_does_not_use(tmp_path):
    # Python's csv stops at 131,072 characters a cell; a long note beside the series is no reason to fail.
    path = tmp_path / "series.csv"
    path.write_text(f"date,value,note\n2021-01-01,1,{'x' * 200_000}\n2021-01-02,2,\n", encoding="utf-8")
    assert ma.read_daily_series(path).tolist() == [1.0, 2.0]


def test_daily_series_keeps_empty_cells_missing_and_reads_streams():
    series = ma.read_daily_series(io.StringIO("date,value\n2021-01-02,5\n2021-01-01,\n"))
    assert series.index.tolist() == list(pd.date_range("2021-01-01", periods=2))
    assert np.isnan(series.iloc[0]) and series.iloc[1] == 5.0


# --- read_google_trends ----------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["150", "100.5"])
def test_trends_rejects_values_above_its_scale(tmp_path, cell):
    assert problems(ma.read_google_trends, tmp_path, TRENDS_HEAD + f"2021-01-01,5\n2021-01-02,{cell}\n") == [
        f"5: column 'x: (US)': is above 100, the top of Google Trends' 0–100 scale (value '{cell}')"]


@pytest.mark.parametrize("cell", ["inf", "nan", "-5", "1e2"])
def test_trends_rejects_non_finite_and_negative_values(tmp_path, cell):
    assert problems(ma.read_google_trends, tmp_path, TRENDS_HEAD + f"2021-01-01,{cell}\n") == [
        f"4: column 'x: (US)': is not a number, '<1' or empty (value '{cell}')"]


def test_trends_rejects_repeated_dates(tmp_path):
    text = TRENDS_HEAD + "2021-01-01,5\n2021-01-02,6\n2021-01-01,7\n"
    assert problems(ma.read_google_trends, tmp_path, text) == [
        "6: column 'Day': repeats the date on line 4 (value '2021-01-01')"]


def test_trends_rejects_a_term_twice_in_the_header(tmp_path):
    text = "Category: All categories\n\nDay,x: (US),x: (US)\n2021-01-01,5,6\n"
    assert problems(ma.read_google_trends, tmp_path, text) == ["3: column 'x: (US)': appears twice in the header"]


def test_trends_lines_after_a_quoted_newline_are_an_editors(tmp_path):
    text = TRENDS_HEAD + '2021-01-01,"5\nx"\n2021-01-02,lots\n'
    assert problems(ma.read_google_trends, tmp_path, text) == [
        "4: column 'x: (US)': is not a number, '<1' or empty (value '5\\nx')",
        "6: column 'x: (US)': is not a number, '<1' or empty (value 'lots')",
    ]


def test_trends_scale_ends_and_an_empty_cell(tmp_path):
    path = tmp_path / "multiTimeline.csv"
    path.write_text(TRENDS_HEAD + "2021-01-01,0\n2021-01-02,<1\n2021-01-03,100\n2021-01-04,\n", encoding="utf-8")
    trends = ma.read_google_trends(path)
    assert trends["value"].tolist()[:3] == [0.0, 0.5, 100.0] and np.isnan(trends["value"].iloc[3])
    assert trends["below_one"].tolist()[:3] == [False, True, False] and trends["below_one"].isna().iloc[3]


def test_trends_unclosed_quote_is_a_problem_not_a_csv_error(tmp_path):
    assert problems(ma.read_google_trends, tmp_path, TRENDS_HEAD + '2021-01-01,"5\n') == [
        "4: cannot be read as CSV: unexpected end of data"]
