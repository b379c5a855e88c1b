"""Every rule that decides a number a reader sees, tested on its own with numbers worked out by hand:
the meanings of values, quiet baselines and spikes, ban and outage durations, peaks, days to peak,
later levels, the timeline's choice of label, and the findings figure subtitles state."""

from __future__ import annotations

import pandas as pd
import pytest

import migration_analysis as ma
from migration_analysis.analysis import waves as wave_analysis
from migration_analysis.data import schema

# --- meanings of values -------------------------------------------------------------------------------


def test_action_groups_are_the_ones_the_analysis_relies_on():
    assert set(schema.actions_in("off", schema.BAN_ACTIONS)) == {
        "suspended", "permanently_suspended", "indefinitely_suspended", "banned", "removed"}
    assert set(schema.actions_in("off", schema.STORE_ACTIONS)) == {"removed", "suspended", "cut_off"}
    assert set(schema.actions_in("return")) == {"reinstated", "back_online", "service_started"}
    assert set(schema.actions_in("restriction")) == {"locked", "restricted"}
    assert {a.name for a in schema.ACTIONS} == set(schema.BAN_ACTIONS) | set(schema.STORE_ACTIONS)
    with pytest.raises(ValueError, match="no action group 'gone'"):
        schema.actions_in("gone")


def test_severity_puts_a_permanent_ban_first_and_returns_last():
    order = ["permanently_suspended", "banned", "indefinitely_suspended", "removed", "cut_off", "suspended",
             "locked", "restricted", "ban_announced", "warned", "reinstatement_announced", "reinstated",
             "back_online", "service_started"]
    assert sorted(order, key=schema.severity) == order
    assert schema.severity("not an action") == len(order)


@pytest.mark.parametrize("reporter, claim_type, words", [
    ("Telegram", "company_claim", "Telegram's own claim"),
    ("Sensor Tower", "third_party_estimate", "Sensor Tower's estimate"),
    ("Appfigures", "third_party_estimate", "Appfigures' estimate"),
    ("CNN", "press_estimate", "a press estimate (CNN)"),
    ("Ofcom", "official_record", "Ofcom's record"),
    ("Someone", "not a type", "Someone"),
])
def test_claim_words(reporter, claim_type, words):
    assert schema.claim_words(reporter, claim_type) == words


def test_claim_groups_keep_claims_apart_from_estimates():
    assert schema.claims_in("claim") == ("company_claim",)
    assert schema.claims_in("estimate") == ("third_party_estimate", "press_estimate")


# --- quiet baselines and spikes -----------------------------------------------------------------------

def figure(id, value, start, end, metric="downloads", reporter="Firm", wave=None):
    return {"id": id, "platform": "app", "metric": metric, "value": float(value), "period_start": pd.Timestamp(start),
            "period_end": pd.Timestamp(end), "date_precision": "day", "period_inferred": False,
            "geography": "worldwide", "reporter": reporter, "claim_type": "third_party_estimate", "derived": False,
            "wave": wave, "notes": None}


def rates_of(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["metric"] = pd.Categorical(frame["metric"], categories=list(schema.METRICS))
    frame["date_precision"] = pd.Categorical(frame["date_precision"], categories=list(schema.DATE_PRECISIONS))
    frame["claim_type"] = pd.Categorical(frame["claim_type"], categories=list(schema.CLAIM_TYPES))
    return ma.surge_rates(frame)


def quiet_of(rates: pd.DataFrame, **kw) -> pd.Series:
    out = ma.quiet_baselines(rates, start="2021-01-06", end="2021-01-17", **kw).set_index("id")
    return out.loc["peak"]


def test_a_spike_is_no_baseline():
    # b0: 7 days at 40 a day; b1: 7 days at 100 a day, 2.5 x b0 within 90 days and shorter than a month,
    # so b1 is a spike and the peak (700 a day) is measured against b0: 700 / 40 = 17.5.
    rates = rates_of(figure("b0", 280, "2020-11-01", "2020-11-07"), figure("b1", 700, "2020-12-01", "2020-12-07"),
                     figure("peak", 4900, "2021-01-08", "2021-01-14"))
    row = quiet_of(rates)
    assert row.quiet_baseline_id == "b0" and row.quiet_multiplier == pytest.approx(17.5)


@pytest.mark.parametrize("b1_total, spike", [(553, False), (560, True)])
def test_twice_the_earlier_rate_is_a_spike(b1_total, spike):
    # b1 at 79 a day is 1.975 x b0 (40 a day): not a spike, it stays the baseline; at 80 a day, exactly 2 x, it is one.
    rates = rates_of(figure("b0", 280, "2020-11-01", "2020-11-07"), figure("b1", b1_total, "2020-12-01", "2020-12-07"),
                     figure("peak", 4900, "2021-01-08", "2021-01-14"))
    assert quiet_of(rates).quiet_baseline_id == ("b0" if spike else "b1")


@pytest.mark.parametrize("end, spike", [("2020-12-31", True), ("2021-01-01", False)])
def test_a_month_or_longer_is_never_a_spike(end, spike):
    # 1-31 Dec is 31 days, 30 apart: under a month, a spike. 1 Dec - 1 Jan, 31 apart, is an average, not a spike.
    days = (pd.Timestamp(end) - pd.Timestamp("2020-12-01")).days + 1
    rates = rates_of(figure("b0", 280, "2020-11-01", "2020-11-07"), figure("b1", 100 * days, "2020-12-01", end),
                     figure("peak", 4900, "2021-01-08", "2021-01-14"))
    assert quiet_of(rates, before="2021-01-06").quiet_baseline_id == ("b0" if spike else "b1")


@pytest.mark.parametrize("gap_days, spike", [(90, True), (91, False)])
def test_only_a_recent_rise_is_a_spike(gap_days, spike):
    # b1 starts gap_days after b0 ends: growth over more than 90 days is growth, not a spike.
    b0_end = pd.Timestamp("2020-12-01") - pd.Timedelta(days=gap_days)
    rates = rates_of(figure("b0", 280, b0_end - pd.Timedelta(days=6), b0_end),
                     figure("b1", 700, "2020-12-01", "2020-12-07"), figure("peak", 4900, "2021-01-08", "2021-01-14"))
    assert quiet_of(rates).quiet_baseline_id == ("b0" if spike else "b1")


@pytest.mark.parametrize("surge_end, excluded", [("2020-12-04", True), ("2020-12-03", False)])
def test_a_figure_mostly_inside_a_known_surge_is_no_baseline(surge_end, excluded):
    # b1 covers 1-6 Dec (6 days); a known surge 29 Nov - 4 Dec covers 4 of them (more than half), to 3 Dec only 3.
    rates = rates_of(figure("b0", 240, "2020-10-01", "2020-10-06"), figure("b1", 300, "2020-12-01", "2020-12-06"),
                     figure("peak", 4900, "2021-01-08", "2021-01-14"))
    row = quiet_of(rates, surges=(("2020-11-29", surge_end),))
    assert row.quiet_baseline_id == ("b0" if excluded else "b1")


def test_a_baseline_must_end_before_the_wave():
    rates = rates_of(figure("b0", 280, "2020-11-01", "2020-11-07"), figure("b1", 300, "2021-01-01", "2021-01-06"),
                     figure("peak", 4900, "2021-01-08", "2021-01-14"))
    assert quiet_of(rates, before="2021-01-06").quiet_baseline_id == "b0"  # b1 ends on the wave's first day
    assert quiet_of(rates, before="2021-01-07").quiet_baseline_id == "b1"


# --- durations ----------------------------------------------------------------------------------------

def test_a_baseline_from_another_reporter_is_flagged_cross_source():
    # The same reporter is preferred even when another's figure is later: peak 700/7 = 100 a day against
    # Firm's 70/7 = 10 a day (10x, same source); with only Other's 140/7 = 20 a day it is 5x, cross-source.
    both = rates_of(figure("own", 70, "2020-10-01", "2020-10-07"),
                    figure("other", 140, "2020-12-01", "2020-12-07", reporter="Other"),
                    figure("peak", 700, "2021-01-12", "2021-01-18")).set_index("id")
    assert (both.loc["peak", "baseline_id"], both.loc["peak", "multiplier"]) == ("own", pytest.approx(10.0))
    assert not both.loc["peak", "cross_source"] and pd.isna(both.loc["own", "cross_source"])
    only_other = rates_of(figure("other", 140, "2020-12-01", "2020-12-07", reporter="Other"),
                          figure("peak", 700, "2021-01-12", "2021-01-18")).set_index("id")
    assert only_other.loc["peak", "multiplier"] == pytest.approx(5.0) and only_other.loc["peak", "cross_source"]
    quiet = quiet_of(ma.surge_rates(only_other.reset_index()))
    assert quiet.quiet_multiplier == pytest.approx(5.0) and quiet.quiet_cross_source


PLATFORM_2020 = pd.DataFrame({"platform": ["app"], "founded": [2020]})


@pytest.mark.parametrize("start, end, precision, refused", [
    ("2019-06-01", "2019-06-30", "day", True),     # before the founding year
    ("2020-01-01", "2020-12-31", "year", True),    # the founding year as a whole: launch day unknown
    ("2020-06-01", "2020-06-01", "month", True),   # a month of the founding year: the same
    ("2020-06-01", "2020-06-30", "day", False),    # days of the founding year that a page gives
    ("2021-01-01", "2021-12-31", "year", False),   # a later whole year
])
def test_a_figure_that_may_predate_its_platform_is_no_baseline(start, end, precision, refused):
    early = figure("early", 3650, start, end) | {"date_precision": precision}
    rows = [early, figure("peak", 7000, "2022-01-12", "2022-01-18")]
    frame = rates_of(*rows).drop(columns=["cross_source"])
    assert list(ma.analysis.rates.before_launch(frame, PLATFORM_2020)) == [refused, False]
    out = ma.surge_rates(frame.reindex(columns=list(rows[0])), platforms=PLATFORM_2020).set_index("id")
    assert pd.isna(out.loc["peak", "baseline_id"]) if refused else out.loc["peak", "baseline_id"] == "early"
    quiet = ma.quiet_baselines(out.reset_index(), start="2022-01-01", end="2022-01-31",
                               platforms=PLATFORM_2020).set_index("id")
    assert pd.isna(quiet.loc["peak", "quiet_baseline_id"]) == refused


def test_a_figure_inside_another_surge_is_no_baseline_outside_it():
    # Wave w (10-31 Jan 2021) sent users to app. A figure of 12-14 Jan lies inside it: no baseline for
    # March (so March falls back to October's 10 a day: 30/10 = 3x), but still one for 20-22 Jan, inside w.
    waves = WAVE.assign(start=pd.Timestamp("2021-01-10"), end=pd.Timestamp("2021-01-31"))
    frame = rates_of(figure("oct", 70, "2020-10-01", "2020-10-07"),
                     figure("jan", 3000, "2021-01-12", "2021-01-14"),
                     figure("jan2", 1500, "2021-01-20", "2021-01-22"),
                     figure("mar", 210, "2021-03-01", "2021-03-07"))
    out = ma.surge_rates(frame.reindex(columns=["id", "platform", "metric", "value", "period_start", "period_end",
                                                "date_precision", "period_inferred", "geography", "reporter",
                                                "claim_type", "derived", "wave", "notes"]), waves=waves).set_index("id")
    assert out.loc["mar", "baseline_id"] == "oct" and out.loc["mar", "multiplier"] == pytest.approx(3.0)
    assert out.loc["jan2", "baseline_id"] == "jan" and out.loc["jan2", "multiplier"] == pytest.approx(0.5)
    # Half the days inside is not "mostly": a 4-day figure with 2 days in the window stays a baseline.
    edge = rates_of(figure("edge", 400, "2021-01-08", "2021-01-11"), figure("mar", 210, "2021-03-01", "2021-03-07"))
    out = ma.surge_rates(edge.drop(columns=["cross_source"]), waves=waves).set_index("id")
    assert out.loc["mar", "baseline_id"] == "edge"


def ban(id, date, action, target="Someone", platform="site", target_type="account", precision="day"):
    return {"id": id, "date": pd.Timestamp(date), "date_precision": precision, "platform": platform, "target": target,
            "target_type": target_type, "action": action}


def test_a_ban_runs_from_the_first_off_action_to_the_first_return():
    bans = pd.DataFrame([ban("a", "2021-01-06", "locked"), ban("b", "2021-01-08", "suspended"),
                         ban("c", "2021-01-10", "permanently_suspended"), ban("d", "2021-03-01", "reinstated"),
                         ban("e", "2021-06-01", "reinstated"), ban("f", "2021-02-01", "suspended", platform="other")])
    out = ma.ban_durations(bans, target_contains="someone", as_of="2021-12-31").set_index("platform")
    # 8 Jan to 1 Mar: 23 + 28 + 1 = 52 days; the lock on 6 Jan does not start it.
    assert out.loc["site", "days"] == 52 and out.loc["site", "ban_ids"] == "b"
    assert out.loc["site", "reinstated_last"] == pd.Timestamp("2021-06-01") and not out.loc["site", "in_force"]
    # No return: in force to as_of, 1 Feb to 31 Dec = 333 days.
    assert out.loc["other", "in_force"] and out.loc["other", "days"] == 333
    assert ma.ban_durations(bans, target_contains="someone", start="2021-01-09").set_index("platform").loc[
        "site", "ban_ids"] == "c"
    with pytest.raises(ValueError, match="pass targets="):
        ma.ban_durations(bans)


def test_an_outage_runs_from_off_to_the_providers_return():
    steps = pd.DataFrame({"date": pd.to_datetime(["2021-01-08", "2021-01-09", "2021-04-14", "2021-05-17", "2021-01-10"]),
                          "provider": ["store", "store", "store", "store", "host"],
                          "action": ["warned", "removed", "reinstated", "back_online", "cut_off"]})
    spans = ma.outage_spans(steps, end="2021-02-28").set_index("provider")
    # Back on the day it was available again (back_online), not on the approval (reinstated).
    assert spans.loc["store", "gone"] == pd.Timestamp("2021-01-09") and spans.loc["store", "back"] == pd.Timestamp("2021-05-17")
    assert spans.loc["store", "returned"] and not spans.loc["host", "returned"]
    assert spans.loc["host", "back"] == pd.Timestamp("2021-02-28")
    store = steps[steps["provider"] == "store"]
    # 9 Jan to 14 Apr: 22 + 28 + 31 + 14 = 95 days; to 17 May, 95 + 16 + 17 = 128.
    assert ma.days_between(store, "removed", "reinstated") == 95
    assert ma.days_between(store, "removed", "back_online") == 128
    assert ma.days_between(store, "removed", "cut_off") is None


# --- peaks, days to peak, later levels ------------------------------------------------------------------

WAVE = pd.DataFrame({"wave": ["w"], "name": ["A wave (2021)"], "start": [pd.Timestamp("2021-01-10")],
                     "end": [pd.Timestamp("2021-01-31")], "destinations": ["app"], "trigger_ids": ["x"]})


def profile_of(*rows) -> pd.Series:
    return wave_analysis.wave_profiles(WAVE, rates_of(*rows)).iloc[0]


@pytest.mark.parametrize("end, counted", [("2021-01-03", True), ("2021-01-02", False)])
def test_a_peak_may_end_up_to_seven_days_before_the_wave(end, counted):
    # The wave starts 10 Jan: a figure ending 3 Jan (7 days before) may be its peak; one ending 2 Jan is a baseline.
    out = profile_of(figure("base", 70, "2020-10-01", "2020-10-07"),
                     figure("early", 7000, pd.Timestamp(end) - pd.Timedelta(days=6), end, wave="w"),
                     figure("late", 700, "2021-01-12", "2021-01-18", wave="w"))
    assert out.peak_id == ("early" if counted else "late")
    # Days to peak: from 10 Jan to the peak's first day (28 Dec: -13; 12 Jan: 2).
    assert out.days_to_peak == ((pd.Timestamp(end) - pd.Timedelta(days=6) - pd.Timestamp("2021-01-10")).days
                                if counted else 2)


def test_a_peak_with_a_quiet_baseline_is_preferred_to_a_higher_one_without():
    out = profile_of(figure("base", 70, "2020-10-01", "2020-10-07"),
                     figure("lower", 700, "2021-01-12", "2021-01-18", wave="w"),
                     figure("higher", 2100, "2021-01-12", "2021-01-18", metric="new_users", wave="w"))
    # new_users has no baseline of its own family; downloads do: 100 / 10 a day = 10x.
    assert out.peak_id == "lower" and out.peak_multiple == pytest.approx(10.0)


def test_the_later_level_is_divided_by_the_same_reporters_earlier_high():
    out = profile_of(figure("base", 70, "2020-10-01", "2020-10-07"),
                     figure("peak", 700, "2021-01-12", "2021-01-18", wave="w"),
                     figure("m1", 1_000_000, "2021-01-20", "2021-01-20", metric="monthly_active_users", wave="w"),
                     figure("m0", 800_000, "2021-01-19", "2021-01-19", metric="monthly_active_users", wave="w",
                            reporter="Other"),
                     figure("m2", 600_000, "2021-03-01", "2021-03-01", metric="monthly_active_users", wave="w"))
    # Latest level after the peak: m2, 600,000; the same reporter's earlier high is m1: 0.6.
    assert (out.later_id, out.high_id) == ("m2", "m1") and out.later_ratio == pytest.approx(0.6)


# --- the timeline's label --------------------------------------------------------------------------------

def test_a_timeline_mark_names_the_most_severe_action_and_counts_the_rest():
    lanes = pd.DataFrame({
        "date": pd.to_datetime(["2021-01-08"] * 3), "actor": ["site"] * 3, "platform": ["site"] * 3,
        "kind": ["account_ban"] * 3, "action": ["locked", "permanently_suspended", "suspended"],
        "facts": [1, 1, 2], "sources": [5, 2, 1], "event_ids": ["a", "b", "c,d"],
        "target": ["x", "realDonaldTrump", "y"]})
    mark = ma.timeline_marks(lanes).iloc[0]
    assert mark.label == "banned for good realDonaldTrump (+3)" and mark.compact == "banned (+3)"
    assert mark["rank"] == (0, -8) and not mark.is_return  # most severe first; then 8 pages (5 + 2 + 1)
    assert ma.timeline_marks(lanes, omit_targets=("trump",)).iloc[0].label == "banned for good (+3)"


# --- findings stated in subtitles (shipped data; the days worked out from data/raw) ------------------------

def subtitle(name: str) -> str:
    from migration_analysis.charts.figures import subtitle_of

    fig, _ = ma.draw_figure(name)
    return subtitle_of(fig)


def test_figure_04_states_the_days_from_removal_to_return():
    # store-0006 removed 9 Jan 2021; store-0038 reinstated 14 Apr 2021 (95 days); store-0040 back online
    # 17 May 2021 (128 days); Google: store-0003 removed 8 Jan 2021, store-0043 reinstated 2 Sep 2022 (602 days).
    text = subtitle("04_parler_lifecycle")
    assert "Apple approved its return after 95 days" in text and "back in the App Store after 128" in text
    assert "Google Play reinstated it after 602" in text


def test_figure_09_ranks_like_for_like_claims_and_estimates_apart():
    # Ranked: Telegram's 25M in 72 hours against its 1.5M a day of 2020 (surge-0002 / surge-0007: 5.6x, a claim)
    # and Appfigures' Signal of 11 Jan 2021 against its 2020 average (surge-0063 / surge-0081: 2,600,000 /
    # 26,776 = 97.1x). Drawn but resting on tier-4 pages: Bluesky's 154x and 81x (2024), Parler's 69x (Nov 2020)
    # and 28x (Jan 2021), Roposo's 2x (2020): five points not ranked.
    text = subtitle("09_waves_compared")
    assert "among company claims, Telegram (January 2021, Capitol attack), 6×" in text
    assert "among estimates, Signal (January 2021, Capitol attack), 97×" in text
    # Mastodon (0 days) is the earliest ranked peak; Bluesky (Brazil) and Roposo, also at 0 days, are weak.
    assert "The earliest peak on or after its trigger: Mastodon (Musk's Twitter takeover, 2022), 0 days" in text
    assert "5 of them (ringed or framed) are not ranked" in text
    # What the peaks mix is said: periods of 1 to 21 days (Roposo's three weeks) and their places.
    assert "cover 1 to 21 days" in text and "in IN, worldwide, no stated region" in text


def test_an_apps_outage_runs_to_the_day_it_was_available_again():
    # Apple approved Parler's return on 14 Apr 2021 and it was back on 17 May: the bar ends on 17 May
    # (128 days after 9 Jan). Google has only "reinstated" (2 Sep 2022): its bar ends then.
    steps = pd.DataFrame({"date": pd.to_datetime(["2021-01-08", "2021-01-09", "2021-04-14", "2021-05-17", "2021-01-08",
                                                  "2022-09-02"]),
                          "provider": ["apple"] * 4 + ["google"] * 2,
                          "action": ["warned", "removed", "reinstated", "back_online", "removed", "reinstated"]})
    spans = ma.outage_spans(steps, end="2023-01-01").set_index("provider")
    assert (spans.loc["apple", "back"] - spans.loc["apple", "gone"]).days == 128
    assert spans.loc["google", "back"] == pd.Timestamp("2022-09-02") and spans["returned"].all()


def test_figure_05_names_the_date_it_counts_to():
    # The hatched bars run to the latest date in account_bans (2 Feb 2026, Snap's lock of Australian
    # under-16 accounts, ban-5404), which is not the latest date in the data (context events run later):
    # the subtitle says which it is.
    latest = ma.load_account_bans()["date"].max()
    assert latest == pd.Timestamp("2026-02-02")
    text = subtitle("05_trump_ban_durations")
    assert "up to 2 Feb 2026, the last date in the data's account bans" in text and "latest date in the data" not in text


def test_figure_02_headlines_the_highest_figure_above_tier_4():
    # Telegram's 25M new users over 10-12 Jan 2021 (surge-0002, on tier-1/2 pages): 25,000,000 / 3 = 8.33M a day;
    # 8 of the 26 figures of 6-17 Jan (worldwide or no region) rest on tier-4 pages alone: MeWe's surge-0154 and
    # -0157, Parler's surge-0330 and -0331, Signal's Apptopia days surge-0054, -0055, -0056 and -0060.
    text = subtitle("02_surges_per_day")
    assert "26 figures for periods starting 6–17 January 2021" in text
    assert "the highest on a page above tier 4 is Telegram's 8.33m a day (Telegram's own claim)" in text
    assert "8 figures rest on tier-4 pages alone (ringed)" in text


def test_figure_03_headlines_only_a_like_for_like_multiple_above_tier_4():
    # Parler's 28x and 12x rest on tier-4 pages and Telegram's framed points compare two reporters; the
    # largest left is Appfigures' Signal of 11 Jan 2021: 2,600,000 / 26,776 a day in 2020 = 97.1x.
    text = subtitle("03_surge_multipliers")
    assert "The largest against the same reporter's baseline, neither on tier-4 pages alone: Signal at 97×" in text


def test_figure_06_states_no_multiple_resting_on_tier_4_pages():
    # Four of Apptopia's five days (6, 7, 8 and 11 Jan) rest on tier-4 pages: the 29x (1.3m / 45.1k) is not stated.
    text = subtitle("06_signal_daily_downloads")
    assert "29×" not in text and "4 of the 5 days rest on tier-4 pages alone (ringed), so no multiple is stated" in text


def test_consecutive_marks_of_an_actor_share_the_later_label():
    lanes = pd.DataFrame({"date": pd.to_datetime(["2021-01-06", "2021-01-07", "2021-01-10"]), "actor": ["fb"] * 3,
                          "platform": ["fb"] * 3, "kind": ["account_ban"] * 3,
                          "action": ["locked", "indefinitely_suspended", "banned"], "facts": [1, 1, 1],
                          "sources": [1, 1, 1], "event_ids": ["a", "b", "c"], "target": ["X", "X", "X"],
                          "weak": [False, True, False]})
    marks = ma.timeline_marks(lanes, omit_targets=("x",))
    # 6 Jan gives its words to 7 Jan; 10 Jan is three days on and keeps its own label.
    assert marks["label"].tolist() == ["", "locked 6 Jan, then suspended indefinitely", "banned"]
    assert marks["weak"].tolist() == [False, True, False]


def test_who_measured_names_reporters_by_kind_of_figure():
    from migration_analysis.charts.figures import who_measured

    rows = pd.DataFrame({"reporter": ["Telegram", "Sensor Tower", "Appfigures", "Sensor Tower", "Ofcom"],
                         "claim_type": ["company_claim", "third_party_estimate", "press_estimate",
                                        "third_party_estimate", "official_record"]})
    assert who_measured(rows) == ("Telegram (company claims); Appfigures, Sensor Tower (estimates); "
                                  "Ofcom (official records)")
    assert who_measured(pd.DataFrame({"date": []})) == ""


def test_ban_durations_rows_in_full():
    bans = pd.DataFrame([
        ban("b1", "2021-01-08", "suspended", target="Someone"), ban("r0", "2021-01-08", "reinstated", target="Someone"),
        ban("r1", "2021-01-20", "reinstated", target="Someone"), ban("r2", "2021-01-20", "reinstated", target="Someone"),
        ban("p1", "2021-01-09", "banned", target="Someone page", platform="book", target_type="page"),
        ban("c1", "2021-01-09", "banned", target="Someone channel", platform="tube", target_type="channel"),
        ban("g1", "2021-01-09", "banned", target="Someone fans", platform="forum", target_type="community"),
        ban("m1", "2021-01-09", "banned", target="Someone", platform="late", precision="month"),
    ])
    out = ma.ban_durations(bans, target_contains="SOMEONE", start="2021-01-08", as_of="2021-01-31")
    assert list(out.columns) == ["platform", "target", "banned", "reinstated", "reinstated_last", "in_force", "days",
                                 "ban_ids", "reinstated_ids"]
    assert list(out.index) == [0, 1, 2]
    # Ended first (12 days: 8 to 20 Jan; the same-day return r0 does not end it), then in force by days (22 each).
    assert out["platform"].tolist() == ["site", "book", "tube"]
    site = out.iloc[0]
    assert (site.target, site.banned, site.reinstated, site.days) == ("Someone", pd.Timestamp("2021-01-08"),
                                                                      pd.Timestamp("2021-01-20"), 12)
    assert site.ban_ids == "b1" and site.reinstated_ids == "r1,r2"
    assert out.iloc[1].days == 22 and pd.isna(out.iloc[1].reinstated) and out.iloc[1].in_force
    only = ma.ban_durations(bans, targets={"book": "Someone page"}, as_of="2021-01-31")
    assert only["platform"].tolist() == ["book"] and only.iloc[0].ban_ids == "p1"


def test_timeline_marks_in_full():
    lanes = pd.DataFrame({
        "date": pd.to_datetime(["2021-01-09", "2021-01-10", "2021-01-10"]), "actor": ["store", "host", "host"],
        "platform": ["app", "app", "app"], "kind": ["store_removal", "store_removal", "store_removal"],
        "action": ["removed", "back_online", "service_started"], "facts": [1, 1, 1], "sources": [3, 1, 1],
        "event_ids": ["a", "b", "c"], "target": ["app", "app", "app"]})
    marks = ma.timeline_marks(lanes, names={"app": "The App"})
    assert list(marks.columns) == ["date", "actor", "action", "is_return", "is_store", "drawn_as", "label", "compact",
                                   "rank", "facts", "weak"]
    # Sorted by (date, actor): 9 Jan store, then 10 Jan host.
    store, host = marks.iloc[0], marks.iloc[1]
    assert (store.date, store.actor, store.action) == (pd.Timestamp("2021-01-09"), "store", "removed")
    assert store.label == "removed The App" and store.compact == "removed" and store.is_store and not store.is_return
    assert store.facts == 1
    # Two returns on one day: a return mark; back online is more severe than took on.
    assert host.action == "back_online" and host.is_return and host.label == "back online The App (+1)"
    assert (store.drawn_as, host.drawn_as) == ("store", "return")
    long = lanes.iloc[[0]].assign(kind="account_ban", target="x" * 31)
    assert ma.timeline_marks(long).iloc[0].label == "removed"  # a target over 30 characters is left out


def test_wave_records_rank_claim_types_apart():
    profiles = pd.DataFrame({
        "wave": ["a", "b", "c", "d"], "destination": ["p", "q", "r", "s"],
        "peak_claim_type": ["company_claim", "company_claim", "third_party_estimate", "third_party_estimate"],
        "peak_multiple": [150.0, 20.0, 90.0, None], "days_to_peak": [-1, 0, 3, 1],
        "peak_id": ["pa", "pb", "pc", "pd"], "baseline_id": ["ba", "bb", "bc", None],
        "later_ratio": [None, 0.5, 0.8, 0.2], "later_id": [None, "lb", "lc", "ld"], "high_id": [None, "hb", "hc", "hd"],
        "cross_source": [False, False, False, pd.NA], "weakly_sourced": [False, False, False, pd.NA]})
    waves = pd.DataFrame({"wave": ["a", "b", "c", "d"], "name": ["A", "B", "C", "D"]})
    out = wave_analysis.wave_records(profiles, waves)
    assert list(out.columns) == ["measure", "claim_type", "wave", "destination", "value", "peak_id", "baseline_id"]
    rows = {(r.measure, r.claim_type): r for r in out.itertuples()}
    claim = rows[("largest multiple", "company_claim")]
    assert (claim.wave, claim.destination, claim.value, claim.peak_id, claim.baseline_id) == ("A", "p", 150.0, "pa", "ba")
    # Speed counts from the trigger: wave a's peak began a day before it, so b (0 days) is the earliest claim.
    assert rows[("earliest peak (days after the trigger)", "company_claim")].wave == "B"
    assert rows[("largest multiple", "third_party_estimate")].value == 90.0
    # The lowest later ratio among all rows with one, whatever the multiple: d's 0.2.
    low = out[out["measure"] == "lowest later level ÷ earlier high"].iloc[0]
    assert (low.wave, low.destination, low.value, low.peak_id, low.baseline_id) == ("D", "s", 0.2, "ld", "hd")
    assert pd.isna(low.claim_type) and len(out) == 5


def test_wave_records_leave_out_cross_source_and_weak_multiples():
    # Wave a's 150x is against another reporter's baseline and b's 120x rests on a tier-4 page alone:
    # both are drawn, neither ranked, so c's 20x is the record and c (4 days) the earliest.
    profiles = pd.DataFrame({
        "wave": ["a", "b", "c"], "destination": ["p", "q", "r"], "peak_claim_type": ["company_claim"] * 3,
        "peak_multiple": [150.0, 120.0, 20.0], "days_to_peak": [0, 1, 4], "peak_id": ["pa", "pb", "pc"],
        "baseline_id": ["ba", "bb", "bc"], "later_ratio": [None] * 3, "later_id": [None] * 3, "high_id": [None] * 3,
        "cross_source": [True, False, False], "weakly_sourced": [False, True, False]})
    out = wave_analysis.wave_records(profiles, pd.DataFrame({"wave": ["a", "b", "c"], "name": ["A", "B", "C"]}))
    assert out[["measure", "wave", "value"]].values.tolist() == [
        ["largest multiple", "C", 20.0], ["earliest peak (days after the trigger)", "C", 4.0]]


def test_rule_ties_and_boundaries():
    # Bans: two suspensions on the first day are both named; a missing target never matches; in-force bans
    # are ordered by days, shortest first (10 then 20).
    bans = pd.DataFrame([ban("b2", "2021-01-21", "suspended"), ban("b1", "2021-01-21", "banned"),
                         ban("x", "2021-01-11", "suspended", platform="other"),
                         ban("n", "2021-01-11", "suspended", platform="none", target=None)])
    out = ma.ban_durations(bans, target_contains="someone", as_of="2021-01-31")
    assert out["platform"].tolist() == ["site", "other"] and out["days"].tolist() == [10, 20]
    assert out.iloc[0].ban_ids == "b1,b2"
    # A return on the day an app was dropped does not end its absence; days_between counts only later days.
    steps = pd.DataFrame({"date": pd.to_datetime(["2021-01-09", "2021-01-09", "2021-01-12"]),
                          "provider": ["store"] * 3, "action": ["removed", "reinstated", "reinstated"]})
    assert ma.outage_spans(steps, end="2021-02-01").iloc[0].back == pd.Timestamp("2021-01-12")
    assert ma.days_between(steps, "removed", "reinstated") == 3
    # Equal peaks: the smaller id; equal records: the wave first in order.
    out = profile_of(figure("base", 70, "2020-10-01", "2020-10-07"),
                     figure("p2", 700, "2021-01-12", "2021-01-18", wave="w"),
                     figure("p1", 700, "2021-01-12", "2021-01-18", wave="w"))
    assert out.peak_id == "p1"
    profiles = pd.DataFrame({"wave": ["b", "a"], "destination": ["q", "p"], "peak_claim_type": ["company_claim"] * 2,
                             "peak_multiple": [5.0, 5.0], "days_to_peak": [2, 2], "peak_id": ["pb", "pa"],
                             "baseline_id": ["bb", "ba"], "later_ratio": [None, None], "later_id": [None, None],
                             "high_id": [None, None], "cross_source": [False, False], "weakly_sourced": [False, False]})
    records = wave_analysis.wave_records(profiles, pd.DataFrame({"wave": ["a", "b"], "name": ["A", "B"]}))
    # Tied records are all named, in wave order: A and B for the largest multiple and for the earliest peak.
    assert records["wave"].tolist() == ["A", "B", "A", "B"]
    assert records["measure"].tolist() == ["largest multiple"] * 2 + ["earliest peak (days after the trigger)"] * 2


@pytest.mark.parametrize("seed", range(5))
def test_the_fast_baseline_search_chooses_what_choose_baseline_chooses(seed):
    # Random figures of one platform (two metric families, three reporters, ties in days and derived
    # flags, some inside a wave): the indexed search must pick, for every figure, the baseline that
    # choose_baseline picks when given every allowed candidate.
    import numpy as np

    from migration_analysis.analysis.rates import _waves_holding, choose_baseline

    rng = np.random.default_rng(seed)
    n = 120
    starts = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    rows = [figure(f"f{i:03d}", int(rng.integers(1, 100)), s, s + pd.Timedelta(days=int(rng.integers(0, 4))),
                   metric=str(rng.choice(["downloads", "daily_downloads", "new_users"])),
                   reporter=str(rng.choice(["A", "B", "C"]))) | {"derived": bool(rng.random() < 0.3)}
            for i, s in enumerate(starts)]
    waves = WAVE.assign(start=pd.Timestamp("2020-01-20"), end=pd.Timestamp("2020-01-30"))
    frame = rates_of(*rows).drop(columns=["cross_source"])
    out = ma.surge_rates(frame.reindex(columns=list(rows[0])), waves=waves).set_index("id")
    full = out.assign(cmp_level=out["per_day"], cmp_group=[(m in ("downloads", "daily_downloads")) for m in out["metric"]],
                      in_surge=ma.analysis.rates.surge_windows(out, waves)).reset_index()
    for row in full.itertuples():
        own = _waves_holding(row, waves)
        pool = full[(full["cmp_group"] == row.cmp_group) & (full["in_surge"].isna() | full["in_surge"].isin(own))]
        base = choose_baseline(row, pool)
        expected = base["id"] if base is not None else None
        got = out.loc[row.id, "baseline_id"]
        assert (None if pd.isna(got) else got) == expected, row.id


def test_a_day_is_weak_only_when_every_figure_of_it_rests_on_tier_4_pages():
    # 6 Jan: one figure, tier 4 only -> weak. 7 Jan: two pages give the same figure, one above tier 4 ->
    # not weak. 8 Jan: another reporter's weak figure is not this series' -> not in the result.
    rows = pd.DataFrame([figure("a", 10, "2021-01-06", "2021-01-06"), figure("b", 20, "2021-01-07", "2021-01-07"),
                         figure("c", 20, "2021-01-07", "2021-01-07"),
                         figure("d", 30, "2021-01-08", "2021-01-08", reporter="Other")])
    rows["weakly_sourced"] = pd.array([True, True, False, True], dtype="boolean")
    assert list(ma.weak_days(rows, "app", reporter="Firm")) == [pd.Timestamp("2021-01-06")]
    assert list(ma.weak_days(rows, "app")) == [pd.Timestamp("2021-01-06"), pd.Timestamp("2021-01-08")]
