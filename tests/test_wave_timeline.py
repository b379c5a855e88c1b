"""Any wave, told like January 2021: the wave helpers on a fixture wave that is not January 2021, the rules
that decide what a wave's timeline draws (hand-computed), and every wave of the data drawn and paged."""

from __future__ import annotations

import html

import pandas as pd
import pytest

import migration_analysis as ma
from migration_analysis.analysis.timeline import lane_order
from migration_analysis.analysis.waves import wave_profiles

# A made-up wave of March 2025: a regulator blocks an app (the trigger), a court lifts it, the app's owner
# speaks, a platform bans an account, and an app store removes an app; two arrival figures and a level.
WAVES = pd.DataFrame({
    "wave": ["fixture_2025"], "name": ["Fixture block (2025)"], "start": pd.to_datetime(["2025-03-09"]),
    "end": pd.to_datetime(["2025-03-09"]), "trigger_ids": ["ctx-1"], "origins": ["oldapp"],
    "destinations": ["newapp vpnapp"],
})
EVENTS = pd.DataFrame({
    "event_id": ["ctx-1", "ctx-2", "ctx-3", "ban-1", "store-1", "ctx-4", "ctx-5"],
    "date": pd.to_datetime(["2025-03-09", "2025-03-12", "2025-03-10", "2025-03-10", "2025-03-11", "2025-03-01",
                            "2025-03-14"]),
    "date_precision": ["day", "day", "day", "day", "day", "month", "day"],
    "actor": ["us_regulator", "supreme_court", "oldapp", "oldapp", "apple_app_store", "us_regulator", "us_regulator"],
    "platform": ["oldapp", "oldapp", "oldapp", "oldapp", "oldapp", "oldapp", pd.NA],
    "kind": ["context", "context", "context", "account_ban", "store_removal", "context", "context"],
    "action": ["government_block", "block_lifted", "statement", "banned", "removed", "law_in_force", "other"],
    "target": [pd.NA, pd.NA, pd.NA, "someone", "oldapp", pd.NA, pd.NA],
    "wave": ["fixture_2025"] * 7, "n_sources": [2, 1, 1, 1, 3, 1, 1], "best_tier": [1, 2, 2, 2, 2, 1, 4],
    "weakly_sourced": [False, False, False, False, False, False, True],
})


def rates(**extra) -> pd.DataFrame:
    frame = pd.DataFrame({
        "id": ["s-1", "s-2", "s-3", "s-4"], "platform": ["newapp", "vpnapp", "newapp", "newapp"],
        "metric": ["downloads", "new_users", "users_total", "downloads"],
        "reporter": ["Appfigures", "VPNCo", "NewApp", "Appfigures"],
        "claim_type": ["third_party_estimate", "company_claim", "company_claim", "third_party_estimate"],
        "geography": ["US", "unstated", "worldwide", "US"],
        "period_start": pd.to_datetime(["2025-03-09", "2025-03-08", "2025-03-10", "2025-01-01"]),
        "period_end": pd.to_datetime(["2025-03-10", "2025-03-08", "2025-03-10", "2025-01-31"]),
        "per_day": [5000.0, 800.0, pd.NA, 100.0], "weakly_sourced": [False, True, False, False],
        "source_url": ["https://a.example/1", "https://b.example/2", "https://c.example/3", "https://a.example/4"],
        "wave": ["fixture_2025"] * 4,
    })
    return frame.assign(**extra)


def test_a_one_day_wave_is_shown_over_fifteen_days():
    # Window 9-9 Mar (1 day): a margin of max(2, 0.1) = 2 days gives 7-11 Mar (5 days); widened evenly to 15:
    # 10 more days, 5 each side: 2-16 Mar.
    assert ma.wave_chart_window(WAVES, "fixture_2025") == (pd.Timestamp("2025-03-02"), pd.Timestamp("2025-03-16"))
    # A 40-day window: a margin of 4 days each side, no widening (48 days).
    long = WAVES.assign(start=pd.to_datetime(["2025-01-01"]), end=pd.to_datetime(["2025-02-09"]))
    assert ma.wave_chart_window(long, "fixture_2025") == (pd.Timestamp("2024-12-28"), pd.Timestamp("2025-02-13"))


def test_the_wave_timeline_draws_every_fact_known_to_the_day_in_the_window():
    start, end = ma.wave_chart_window(WAVES, "fixture_2025")
    lanes = ma.timeline_lanes(EVENTS, start, end, include_context=True)
    # Six facts are known to the day (ctx-4 only to the month); all six fall in 2-16 Mar.
    assert sorted(lanes["event_ids"]) == ["ban-1", "ctx-1", "ctx-2", "ctx-3", "ctx-5", "store-1"]
    # Without include_context (the January 2021 chart), only the ban and the store removal.
    assert sorted(ma.timeline_lanes(EVENTS, start, end)["event_ids"]) == ["ban-1", "store-1"]


def test_context_marks_say_their_kind_and_the_platform_they_concern():
    start, end = ma.wave_chart_window(WAVES, "fixture_2025")
    lanes = ma.timeline_lanes(EVENTS, start, end, include_context=True)
    marks = ma.timeline_marks(lanes, names={"oldapp": "Old App"}).set_index(["actor", "date"])
    block = marks.loc[("us_regulator", pd.Timestamp("2025-03-09"))]
    assert (block.label, block.drawn_as) == ("government block Old App", "state")
    lifted = marks.loc[("supreme_court", pd.Timestamp("2025-03-12"))]
    assert (lifted.label, lifted.drawn_as) == ("block lifted Old App", "state")
    # The regulator's "other" event concerns no platform: it is an event, said as such.
    other = marks.loc[("us_regulator", pd.Timestamp("2025-03-14"))]
    assert (other.label, other.drawn_as, other.weak) == ("event", "event", True)
    # oldapp's own statement and its ban fall on 10 Mar: the ban (an action) names the mark, +1 for the statement;
    # the platform concerned is the actor itself, so a statement alone would not repeat its name.
    both = marks.loc[("oldapp", pd.Timestamp("2025-03-10"))]
    assert (both.label, both.drawn_as) == ("banned someone (+1)", "ban")
    alone = ma.timeline_marks(lanes[lanes["event_ids"] == "ctx-3"], names={"oldapp": "Old App"}).iloc[0]
    assert (alone.label, alone.drawn_as) == ("statement", "event")


def test_lanes_put_states_and_courts_first_then_accounts_stores_and_other_events():
    start, end = ma.wave_chart_window(WAVES, "fixture_2025")
    lanes = ma.timeline_lanes(EVENTS, start, end, include_context=True)
    # us_regulator: a block (state) on 9 Mar; supreme_court: state on 12 Mar; oldapp: ban (account) on 10 Mar,
    # its statement does not move it down; apple_app_store: store on 11 Mar.
    assert lane_order(lanes) == ["us_regulator", "supreme_court", "oldapp", "apple_app_store"]
    only_statement = lanes[lanes["event_ids"].isin(["ctx-3", "store-1"])]
    assert lane_order(only_statement) == ["apple_app_store", "oldapp"]


def test_wave_arrivals_are_the_per_day_arrival_figures_that_meet_the_days_shown():
    picked = ma.wave_arrivals(rates(), WAVES, "fixture_2025")
    # s-3 is a level (no per-day rate), s-4 ends in January, outside 2-16 Mar: left out.
    assert picked["id"].tolist() == ["s-2", "s-1"]
    # A figure from another wave is not this wave's, even on the same days.
    assert ma.wave_arrivals(rates(wave="other"), WAVES, "fixture_2025").empty


def test_triggers_and_key_moments_of_any_wave():
    triggers = ma.wave_triggers(EVENTS, WAVES, "fixture_2025")
    assert triggers[["event_id", "label"]].values.tolist() == [["ctx-1", "government block"]]
    context = EVENTS[EVENTS["kind"] == "context"].rename(columns={"event_id": "id", "action": "event_type"}).assign(
        description="d", source_url="https://x.example/")
    # In the wave's own window (9 Mar): the trigger; ctx-2 (12 Mar) is outside it, ctx-4 only to the month.
    moments = ma.key_moments(context, wave="fixture_2025", waves=WAVES)
    assert moments[["id", "label"]].values.tolist() == [["ctx-1", "government block"]]
    with pytest.raises(ValueError, match="needs the event ids, or a wave"):
        ma.key_moments(context)


def test_no_general_function_defaults_to_january_2021():
    import inspect

    for function in (ma.events_per_day, ma.top_multipliers, ma.key_moments, ma.plot_wave_timeline,
                     ma.plot_wave_arrivals, ma.wave_arrivals):
        for parameter in inspect.signature(function).parameters.values():
            assert "2021" not in str(parameter.default), f"{function.__name__}({parameter.name}=...) defaults to 2021"
            assert parameter.default not in ("trump", "parler", ("trump", "parler")), function.__name__


def test_profiles_say_when_the_destination_is_a_way_around_the_block():
    platforms = pd.DataFrame({"platform": ["newapp", "vpnapp", "oldapp"],
                              "category": ["alt_social", "vpn", "mainstream_social"]})
    # No figure of this wave (the profiles only say what is missing): the flag comes from the category alone.
    profiles = wave_profiles(WAVES, rates(wave="other"), platforms).set_index("destination")
    assert profiles.loc["vpnapp", "circumvention"] == True  # noqa: E712 (a pandas boolean)
    assert profiles.loc["newapp", "circumvention"] == False  # noqa: E712


@pytest.fixture(scope="module")
def data():
    return ma.load_all()


def test_every_wave_draws_a_timeline_with_its_facts(data):
    import matplotlib.pyplot as plt

    for wave in data["waves"]["wave"]:
        fig, plotted = ma.draw_wave_timeline(wave, data)
        events = plotted[plotted["layer"] == "event"]
        # At least the triggers known to the day are drawn: the window holds them (validate checks it).
        triggers = ma.wave_triggers(data["events"], data["waves"], wave)
        assert len(events) and set(triggers["event_id"]) <= set(",".join(events["event_ids"]).split(",")), wave
        plt.close(fig)


def test_every_wave_gets_a_page_with_its_facts_and_pages(data, tmp_path):
    from migration_analysis.report import _CSS
    from migration_analysis.wave_pages import write_wave_pages

    written = write_wave_pages(data, tmp_path, _CSS)
    assert [page for page, _, _ in written] == [f"wave_{w}.html" for w in data["waves"]["wave"]]
    for wave in data["waves"]["wave"]:
        page = (tmp_path / f"wave_{wave}.html").read_text(encoding="utf-8")
        facts = ma.wave_fact_list(data, wave)
        assert all(f">{i}<" in page for i in facts["id"]), wave
        cited = data["citations"][data["citations"]["fact_id"].isin(facts["id"])]
        assert len(cited) and all(f'href="{html.escape(u)}"' in page for u in cited["source_url"]), wave
        assert (tmp_path / "figures" / f"wave_{wave}.png").stat().st_size > 10_000


def test_the_wave_timeline_subtitle_counts_what_it_draws():
    import matplotlib.pyplot as plt

    from migration_analysis.charts.figures import subtitle_of

    platforms = pd.DataFrame({"platform": ["newapp", "vpnapp", "oldapp", "apple_app_store"],
                              "name": ["New App", "VPN App", "Old App", "App Store"],
                              "category": ["alt_social", "vpn", "mainstream_social", "app_store"]})
    data = {"events": EVENTS.assign(label="x", source_url="https://x.example/"), "waves": WAVES,
            "surge_rates": rates(), "platforms": platforms}
    fig, plotted = ma.draw_wave_timeline("fixture_2025", data)
    text = subtitle_of(fig)
    plt.close(fig)
    # In 2-16 Mar: the block and the lifting (states and courts), the ban, the store removal, and the statement
    # and the regulator's other event; ctx-4 is known only to the month. Figures: s-2 and s-1 drawn per day,
    # s-3 (a level) and s-4 (January) left to the table.
    assert text.startswith("From 2 Mar 2025 to 16 Mar 2025: 2 acts of states or courts, 1 account action, "
                           "1 store or provider action, 2 other events; 2 arrival figures per day (")
    assert "; 2 other figures of the wave (levels of users or visits, or outside these days) are in its table" in text
    assert text.endswith("Not drawn: 1 more of the wave's 7 dated facts (known only to the month, or outside these days)")
    assert sorted(plotted["layer"].value_counts().items()) == [("arrival", 2), ("event", 6)]


def test_facts_are_counted_by_how_they_are_drawn():
    from migration_analysis.analysis.timeline import facts_by_mark

    start, end = ma.wave_chart_window(WAVES, "fixture_2025")
    lanes = ma.timeline_lanes(EVENTS, start, end, include_context=True)
    # The block and the lifting are acts of states and courts; the statement and the regulator's other event
    # are other events; one ban, one store removal.
    assert facts_by_mark(lanes).to_dict() == {"ban": 1, "event": 2, "state": 2, "store": 1}
