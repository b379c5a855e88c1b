"""Waves and their profiles, computed by hand on the minimal fixture and small additions to it."""

from __future__ import annotations

import pandas as pd
import pytest

import migration_analysis as ma


def append(raw, table: str, *lines: str) -> None:
    with open(raw / f"{table}.csv", "a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)


def test_wave_summary_counts_facts_figures_claims_and_tiers(valid_dir):
    waves = ma.load_waves(data_dir=valid_dir).set_index("wave")
    row = waves.loc["january_2021"]
    # Tagged: ban-0001 (tier 1), store-0001 (tier 2), surge-0002 (tier 2), ctx-0001 (tier 2).
    assert (row.n_facts, row.n_surge_figures, row.n_company_claims, row.n_weakly_sourced) == (4, 1, 1, 0)
    assert row.tier12_share == 1.0


def test_profile_peak_baseline_multiple_and_speed(valid_dir):
    profile = ma.load_wave_profiles(data_dir=valid_dir)
    assert profile["destination"].tolist() == ["telegram"]
    row = profile.iloc[0]
    # 25,000,000 new users over 10-12 Jan = 8,333,333.3 a day, against 1,500,000 sign-ups a day in 2020.
    assert row.peak_id == "surge-0002" and row.baseline_id == "surge-0001"
    assert row.peak_per_day == pytest.approx(25_000_000 / 3)
    assert row.peak_multiple == pytest.approx(25_000_000 / 3 / 1_500_000)
    assert row.days_to_peak == 4  # the wave starts on 6 Jan, the peak's period on 10 Jan
    assert row.peak_claim_type == "company_claim"
    assert row.gap == "no later level of users"


def test_later_level_is_compared_with_the_same_reporters_high(valid_dir):
    append(valid_dir, "user_surges",
           "surge-0010,telegram,monthly_active_users,500000000,2021-01-01,2021-01-01,month,false,worldwide,"
           "Telegram,company_claim,false,january_2021,",
           "surge-0011,telegram,monthly_active_users,450000000,2021-06-01,2021-06-01,month,false,worldwide,"
           "Telegram,company_claim,false,january_2021,",
           "surge-0012,telegram,monthly_active_users,900000000,2021-03-01,2021-03-01,month,false,worldwide,"
           "Someone Else,press_estimate,false,january_2021,")
    append(valid_dir, "citations", *[f"cite-00{n},surge-00{n - 10},https://example.org/mau{n},example_wire,,,"
                                     "2026-11-22,,," for n in (20, 21, 22)])
    row = ma.load_wave_profiles(data_dir=valid_dir).iloc[0]
    # The latest level after the peak is June's; the highest earlier level from Telegram itself is 500M
    # (the press figure of 900M is another reporter's and is not compared with it).
    assert (row.later_id, row.high_id) == ("surge-0011", "surge-0010")
    assert row.later_ratio == pytest.approx(0.9)
    assert pd.isna(row.gap) or row.gap == ""


def test_a_destination_without_figures_or_baseline_gets_an_explicit_gap(valid_dir):
    text = (valid_dir / "waves.csv").read_text(encoding="utf-8").replace(",telegram,", ",telegram parler,")
    (valid_dir / "waves.csv").write_text(text, encoding="utf-8")
    # Without the 2020 figure there is no quiet baseline for Telegram either.
    lines = (valid_dir / "user_surges.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (valid_dir / "user_surges.csv").write_text("".join(line for line in lines if not line.startswith("surge-0001")),
                                               encoding="utf-8")
    citations = (valid_dir / "citations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (valid_dir / "citations.csv").write_text("".join(line for line in citations if ",surge-0001," not in line),
                                             encoding="utf-8")
    profile = ma.load_wave_profiles(data_dir=valid_dir).set_index("destination")
    assert profile.loc["parler", "gap"] == "no surge figure for this platform in this wave"
    assert profile.loc["parler", "n_figures"] == 0 and pd.isna(profile.loc["parler", "peak_id"])
    assert profile.loc["telegram", "gap"] == "no quiet baseline before the wave, so no multiple; no later level of users"
    assert pd.isna(profile.loc["telegram", "peak_multiple"])


@pytest.mark.parametrize(("destination", "baseline"), [("telegram", None), ("parler", "surge-0001")])
def test_another_waves_window_blocks_a_baseline_only_for_its_own_destinations(valid_dir, destination, baseline):
    # A second wave over all of 2020: if it sent users to Telegram, Telegram's 2020 sign-up average is part of
    # a surge, not a quiet baseline; if it sent them to Parler, the average stays Telegram's baseline.
    append(valid_dir, "context_events",
           "ctx-0002,2020-01-01,day,us_capitol_rioters,,other,Something in 2020,earlier_2020,")
    append(valid_dir, "citations", "cite-0030,ctx-0002,https://example.org/2020,example_wire,,,2026-11-22,,,")
    append(valid_dir, "waves", f"earlier_2020,Earlier,2020-01-01,2020-12-31,ctx-0002,,{destination},A test wave,")
    found = ma.load_wave_profiles(data_dir=valid_dir).set_index(["wave", "destination"]).loc[
        ("january_2021", "telegram"), "baseline_id"]
    assert (pd.isna(found) if baseline is None else found == baseline)


def test_shipped_profiles_trace_to_facts_of_their_wave():
    profiles, rates = ma.load_wave_profiles(), ma.load_surge_rates().set_index("id")
    waves = ma.load_waves().set_index("wave")
    for row in profiles.itertuples():
        assert row.destination in waves.loc[row.wave, "destinations"].split(" ")
        for column in ("peak_id", "later_id", "high_id"):
            fact = getattr(row, column)
            if pd.notna(fact):
                assert rates.loc[fact, "wave"] == row.wave and rates.loc[fact, "platform"] == row.destination
        if pd.notna(row.baseline_id):
            assert rates.loc[row.baseline_id, "period_end"] < waves.loc[row.wave, "start"]
            assert row.peak_multiple == pytest.approx(row.peak_per_day / rates.loc[row.baseline_id, "per_day"])

