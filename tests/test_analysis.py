"""Rates, baselines and multipliers; event windows; outside series readers."""


import numpy as np
import pandas as pd
import pytest

import migration_analysis as ma
from conftest import FIXTURES
from migration_analysis import DataValidationError

TRENDS = FIXTURES / "trends"


def surge(id, value, start, end, metric="new_users", precision="day", reporter="Telegram",
          platform="telegram", geography="worldwide", derived=False):
    return {"id": id, "platform": platform, "metric": metric, "value": float(value),
            "period_start": pd.Timestamp(start), "period_end": pd.Timestamp(end),
            "date_precision": precision, "geography": geography, "reporter": reporter,
            "claim_type": "company_claim", "derived": derived, "notes": None}


def rates(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["metric"] = pd.Categorical(frame["metric"], categories=list(ma.schema.METRICS))
    frame["date_precision"] = pd.Categorical(frame["date_precision"], categories=["day", "month", "year"])
    return ma.surge_rates(frame).set_index("id")


def test_telegram_25_million_in_72_hours_against_2020_daily_rate():
    # By hand: 25,000,000 / 3 days = 8,333,333.3 a day; / 1,500,000 a day = 5.5556.
    out = rates(surge("s1", 1_500_000, "2020-01-01", "2020-12-31", metric="daily_signups", precision="year"),
                surge("s2", 25_000_000, "2021-01-10", "2021-01-12"))
    assert out.loc["s2", "days"] == 3
    assert out.loc["s2", "per_day"] == pytest.approx(8_333_333.333, rel=1e-9)
    assert out.loc["s2", "baseline_id"] == "s1"
    assert out.loc["s2", "multiplier"] == pytest.approx(5.5556, abs=1e-4)
    assert out.loc["s1", "per_day"] == 1_500_000 and out.loc["s1", "days"] == 366
    assert pd.isna(out.loc["s1", "baseline_id"])


def test_baseline_prefers_same_reporter_then_latest():
    out = rates(
        surge("old_same", 700, "2021-01-01", "2021-01-07", metric="downloads", reporter="Sensor Tower"),
        surge("late_other", 2000, "2021-01-08", "2021-01-09", metric="downloads", reporter="Apptopia"),
        surge("late_same", 1400, "2021-01-06", "2021-01-07", metric="downloads", reporter="Sensor Tower"),
        surge("now", 50_000, "2021-01-10", "2021-01-10", metric="downloads", reporter="Sensor Tower"),
        surge("overlap", 9, "2021-01-09", "2021-01-12", metric="downloads", reporter="Sensor Tower"),
    )
    assert out.loc["now", "baseline_id"] == "late_same"       # same reporter beats the later Apptopia figure
    assert out.loc["now", "multiplier"] == pytest.approx(50_000 / 700)
    assert out.loc["late_other", "baseline_id"] == "late_same"  # no Apptopia before it: latest other reporter
    assert pd.isna(out.loc["old_same", "baseline_id"])


def test_baseline_needs_same_geography_and_family():
    out = rates(surge("us", 100, "2021-01-01", "2021-01-01", metric="downloads", geography="US"),
                surge("visits", 100, "2021-01-01", "2021-01-01", metric="site_visits"),
                surge("world", 500, "2021-01-05", "2021-01-05", metric="downloads"))
    assert pd.isna(out.loc["world", "baseline_id"])


def test_stocks_have_no_rate_but_growth_between_snapshots():
    out = rates(surge("a", 400e6, "2020-04-24", "2020-04-24", metric="monthly_active_users"),
                surge("b", 500e6, "2021-01-01", "2021-01-01", metric="monthly_active_users", precision="month"))
    assert pd.isna(out.loc["b", "per_day"]) and pd.isna(out.loc["b", "days"])
    assert out.loc["b", "baseline_id"] == "a" and out.loc["b", "multiplier"] == pytest.approx(1.25)


def test_single_month_precision_flow_has_no_known_span():
    out = rates(surge("m", 90e6, "2021-01-01", "2021-01-01", precision="month"),
                surge("whole_month", 62e6, "2021-01-01", "2021-01-31", metric="downloads", precision="month"))
    assert pd.isna(out.loc["m", "per_day"])
    assert out.loc["whole_month", "days"] == 31
    assert out.loc["whole_month", "per_day"] == pytest.approx(2e6)


def test_shipped_surge_rates_keep_every_surge_row():
    surges, rates_ = ma.load_user_surges(), ma.load_surge_rates()
    assert sorted(surges["id"]) == sorted(rates_["id"])
    flows = rates_[rates_["metric_kind"] == "flow"].dropna(subset=["days"])
    assert np.allclose(flows["per_day"], flows["value"] / flows["days"].astype(float))


# --- event windows ---------------------------------------------------------------------------------

def step_series() -> pd.Series:
    return pd.Series([1.0] * 7 + [3.0] * 7, index=pd.date_range("2021-01-01", periods=14, freq="D"))


def test_step_change_is_exactly_two_with_zero_width_interval():
    out = ma.event_window_change(step_series(), ["2021-01-08"], method="naive")
    row = out.iloc[0]
    assert (row.before_mean, row.after_mean, row.change) == (1.0, 3.0, 2.0)
    assert row.ci_low == 2.0 and row.ci_high == 2.0
    assert row.missing_days == 0 and row.n_before == 7 and row.n_after == 7


def test_windows_are_strictly_before_and_from_the_event_day():
    s = pd.Series(np.arange(1.0, 11.0), index=pd.date_range("2021-01-01", periods=10, freq="D"))
    row = ma.event_window_change(s, ["2021-01-05"], before=2, after=3, method="naive").iloc[0]
    assert row.before_mean == 3.5          # 3 Jan (3) and 4 Jan (4)
    assert row.after_mean == 6.0           # 5, 6, 7 Jan
    assert row.change == pytest.approx(6.0 / 3.5 - 1)
    assert row.ratio == pytest.approx(6.0 / 3.5)
    # Two days before the event are too few to resample: no interval rather than a false one.
    assert np.isnan(row.ci_low) and np.isnan(row.ci_high)
    wider = ma.event_window_change(s, ["2021-01-05"], before=3, after=3, method="naive").iloc[0]
    assert wider.ci_low <= wider.change <= wider.ci_high


def test_month_precision_events_are_left_out_with_a_warning():
    events = pd.DataFrame({
        "date": pd.to_datetime(["2021-01-08", "2021-01-01"]),
        "date_precision": pd.Categorical(["day", "month"], categories=["day", "month", "year"]),
        "label": ["Google Play removed Parler", "Twilio cut off Parler"],
    })
    with pytest.warns(UserWarning, match=r"left out 1 event\(s\) known only to the month or year.*Twilio cut off Parler"):
        out = ma.event_window_change(step_series(), events, before=3, after=3, method="naive")
    assert out["label"].tolist() == ["Google Play removed Parler"]
    everything = ma.event_window_change(step_series(), events, before=3, after=3, precision="any", method="naive")
    assert everything["label"].tolist() == ["Google Play removed Parler", "Twilio cut off Parler"]


def test_event_at_start_and_end_report_missing_days():
    out = ma.event_window_change(step_series(), ["2021-01-01", "2021-01-14"], before=3, after=3, method="naive")
    start, end = out.iloc[0], out.iloc[1]
    assert np.isnan(start.before_mean) and np.isnan(start.change) and start.missing_days == 3
    assert start.missing_dates == "2020-12-29,2020-12-30,2020-12-31"
    assert end.after_mean == 3.0 and end.n_after == 1 and end.missing_dates == "2021-01-15,2021-01-16"


def test_gaps_are_reported_not_filled():
    s = step_series().drop(pd.Timestamp("2021-01-03"))
    row = ma.event_window_change(s, ["2021-01-08"], method="naive").iloc[0]
    assert row.n_before == 6 and row.missing_dates == "2021-01-03" and row.before_mean == 1.0


def test_bootstrap_is_seeded_and_events_frame_columns_are_kept():
    rng = np.random.default_rng(1)
    s = pd.Series(rng.gamma(2, 10, 60), index=pd.date_range("2021-01-01", periods=60, freq="D"))
    events = pd.DataFrame({"event_id": ["a", "b"], "date": ["2021-01-20", "2021-02-10"]})
    first = ma.event_window_change(s, events, seed=3, method="naive")
    again = ma.event_window_change(s, events, seed=3, method="naive")
    other = ma.event_window_change(s, events, seed=4, method="naive")
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["ci_low"], other["ci_low"])
    assert list(first.columns[:2]) == ["event_id", "date"]


@pytest.mark.parametrize("index, message", [
    (pd.date_range("2021-01-01", periods=10, freq="W"), "not daily"),
    (pd.date_range("2021-01-01 06:00", periods=10, freq="D"), "times of day"),
    (pd.DatetimeIndex(["2021-01-01", "2021-01-01", "2021-01-02"]), "repeats dates"),
])
def test_non_daily_index_is_refused(index, message):
    with pytest.raises(ValueError, match=message):
        ma.event_window_change(pd.Series(1.0, index=index), ["2021-01-05"])


def test_empty_windows_are_refused():
    with pytest.raises(ValueError, match="at least 1 day"):
        ma.event_window_change(step_series(), ["2021-01-08"], before=0)


def test_daily_series_from_the_dataset_refuses_disagreeing_sources():
    surges = ma.load_user_surges()
    places = ("worldwide", "unstated")
    signal = ma.daily_series(surges, "signal", reporter="Apptopia", geography=places)
    assert signal.index.is_monotonic_increasing and (signal > 0).all()
    with pytest.raises(ValueError, match="sources disagree"):
        ma.daily_series(surges, "signal", geography=places)


# --- readers ---------------------------------------------------------------------------------------

def test_google_trends_daily_export():
    trends = ma.read_google_trends(TRENDS / "multiTimeline_day.csv")
    assert list(trends.columns) == ["date", "term", "geo", "value", "below_one"]
    signal = trends[trends["term"] == "signal"]
    assert signal["value"].tolist() == [0.5, 2.0, 5.0]
    assert signal["below_one"].tolist() == [True, False, False]
    assert set(trends["geo"]) == {"Worldwide"}
    series = ma.trends_series(trends, "telegram")
    assert series.index[0] == pd.Timestamp("2021-01-04") and series.tolist() == [10.0, 12.0, 20.0]


def test_google_trends_weekly_with_bom_and_crlf_and_monthly():
    weekly = ma.read_google_trends(TRENDS / "multiTimeline_week.csv")
    assert weekly["geo"].unique().tolist() == ["United States"] and len(weekly) == 3
    monthly = ma.read_google_trends(TRENDS / "multiTimeline_month.csv")
    assert monthly["date"].tolist() == list(pd.to_datetime(["2020-11-01", "2020-12-01", "2021-01-01"]))
    assert monthly["below_one"].tolist() == [False, True, False]
    with pytest.raises(ValueError, match="not daily"):
        ma.event_window_change(ma.trends_series(weekly, "parler"), ["2021-01-10"])


READER_ERRORS = [
    (ma.read_google_trends, "Day,x: (Worldwide)\n2021-01-01,1\n", ":1: is not a Google Trends export"),
    (ma.read_google_trends, "Category: All\n\nHour,x: (Worldwide)\n", ":3: column 'Hour': first column must be "
                                                                      "Day, Week or Month"),
    (ma.read_google_trends, "Category: All\n\nDay,x\n", ":3: column 'x': is not 'term: (Geo)'"),
    (ma.read_google_trends, "Category: All\n\nDay,x: (US)\n2021-01-01,lots\n", ":4: column 'x: (US)': is not a "
                                                                               "number, '<1' or empty"),
    (ma.read_google_trends, "Category: All\n\nDay,x: (US)\n01/02/2021,3\n", ":4: column 'Day': is not a date"),
    (ma.read_google_trends, "Category: All\n\nDay,x: (US)\n2021-01-01,3,4\n", ":4: has 3 fields instead of 2"),
    (ma.read_daily_series, "when,value\n2021-01-01,1\n", ":1: column 'date': is missing from the header"),
    (ma.read_daily_series, "date,value\n2021-01-01,1\n2021-01-01,2\n", ":3: column 'date': repeats the date on line 2"),
    (ma.read_daily_series, "date,value\n2021-02-30,1\n", ":2: column 'date': is not a date YYYY-MM-DD"),
    (ma.read_daily_series, "date,value\n2021-01-01,many\n", ":2: column 'value': is not a number"),
]


@pytest.mark.parametrize("reader, text, expected", READER_ERRORS,
                         ids=[f"{r.__name__}-{i}" for i, (r, _, _) in enumerate(READER_ERRORS)])
def test_reader_errors_name_file_and_line(tmp_path, reader, text, expected):
    path = tmp_path / "series.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        reader(path)
    first = str(info.value.problems[0])
    assert first.startswith(str(path)) and expected in first


def test_read_daily_series(tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text("day,visits,other\n2021-01-02,5,x\n2021-01-01,4,y\n2021-01-03,,z\n", encoding="utf-8")
    series = ma.read_daily_series(path, date="day", value="visits")
    assert series.index.tolist() == list(pd.date_range("2021-01-01", periods=3))
    assert series.iloc[:2].tolist() == [4.0, 5.0] and np.isnan(series.iloc[2])
    row = ma.event_window_change(series, ["2021-01-02"], before=1, after=2, method="naive").iloc[0]
    assert row.missing_dates == "2021-01-03" and row.change == 0.25
