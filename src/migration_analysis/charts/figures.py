"""The report's figure set: each figure's data, chart, title, finding and source, in one place.

``migration-analysis figures`` and the notebooks both draw from here, so a figure in a report is
the figure in the notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import analysis
from ..analysis.durations import OFF_ACTIONS
from ..analysis.waves import (
    compared_points,
    headline_profiles,
    wave_arrivals,
    wave_chart_window,
    wave_context,
    wave_records,
    wave_window,
)
from ..data import load
from ..data.schema import actions_in, claim_words, claims_in
from ..formatting import day_text, is_flagged

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Fig

# January 2021, the best-documented wave, has figures of its own; its specifics live here, not in
# the general functions. The timeline's days, the surge charts' days and the subject its labels omit:
TIMELINE_START, TIMELINE_END = "2021-01-06", "2021-01-21"
SURGE_START, SURGE_END = "2021-01-06", "2021-01-17"
TIMELINE_SUBJECTS = ("trump", "parler")
BANS_FROM = "2021-01-01"

# Trump's own accounts, pages and channels (not his campaign's, not communities or stores).
TRUMP_ACCOUNTS = {
    "twitter": "realDonaldTrump", "facebook": "Donald Trump", "instagram": "realdonaldtrump",
    "youtube": "Donald J. Trump channel", "snapchat": "Donald Trump", "twitch": "Donald Trump channel",
}

# Key moments drawn as dashed lines on the January charts, with short labels of our own.
KEY_MOMENTS = {
    "ctx-0004": "WhatsApp privacy notice",
    "ctx-0001": "Capitol attack",
    "ctx-0007": "Musk: 'Use Signal'",
    "ctx-0011": "Inauguration",
}


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    make: Callable[[dict], tuple[object, pd.DataFrame, str]]  # data -> (fig, plotted data, subtitle)
    sources: str  # who stands behind what is drawn, in words, when the plotted rows name no reporter
    height_cm: float = 9.0
    caveat: str = ""  # what a reader must know before quoting it; printed on the image and the report page
    section: str = "January 2021, the best-documented wave"  # where the report page shows it


@dataclass(frozen=True)
class Exported:
    """A report figure as written: what it says and its files."""

    figure: Figure
    subtitle: str
    paths: list[Path]


def key_moments(context: pd.DataFrame, ids=None, *, wave: str | None = None, waves: pd.DataFrame | None = None
                ) -> pd.DataFrame:
    """Context events to mark on a chart, with short labels: the ``ids`` given, or a wave's key moments
    (``wave_context``: its triggers, and the attacks, elections and acts of states and courts known to the day)
    within its window (``wave`` with the ``waves`` table). A label is our own short wording where we have one
    (``KEY_MOMENTS``), else the event's kind ('court ruling')."""
    if ids is None:
        if wave is None or waves is None:
            raise ValueError("key_moments needs the event ids, or a wave and the waves table (wave=..., waves=...)")
        start, end = wave_window(waves, wave)
        events = context.rename(columns={"id": "event_id", "event_type": "action"}).assign(kind="context")
        chosen = wave_context(events, waves, wave)
        ids = chosen.loc[(chosen["date"] >= start) & (chosen["date"] <= end), "event_id"].tolist()
    rows = context[context["id"].isin(list(ids))].copy()
    kinds = rows["event_type"].astype(str).str.replace("_", " ")
    rows["label"] = [KEY_MOMENTS.get(i, k) for i, k in zip(rows["id"], kinds)]
    return rows[["id", "date", "label", "description", "source_url"]].sort_values("date").reset_index(drop=True)


def load_all(data_dir=None) -> dict[str, pd.DataFrame]:
    """Every table, keyed by name (from the shipped data, or validated from ``data_dir``)."""
    return {name: load.load_table(name, data_dir) for name in load.table_names()}


def _timeline(d, height):
    from .style import new_figure
    from .timeline import plot_timeline

    fig, ax = new_figure(height)
    plot_timeline(d["events"], d["platforms"], ax=ax, start=TIMELINE_START, end=TIMELINE_END,
                  context=key_moments(d["context_events"], list(KEY_MOMENTS)), omit_targets=TIMELINE_SUBJECTS)
    data = analysis.timeline_lanes(d["events"], TIMELINE_START, TIMELINE_END)
    back = data["action"].isin(actions_in("return"))
    against, returns = data[~back], data[back]
    window = len(pd.date_range(TIMELINE_START, TIMELINE_END, freq="D"))
    subtitle = (f"{against['facts'].sum()} actions against Trump, his allies, QAnon accounts or Parler by "
                f"{against['actor'].nunique()} platforms and providers, on {against['date'].nunique()} of the {window} "
                f"days from {day_text(TIMELINE_START, year=False)}")
    if len(returns):
        subtitle += f"; {returns['facts'].sum()} return or new provider (open triangle)"
    return fig, data, subtitle + ". Each action counted once, however many pages report it"


# Figures with no stated region are drawn beside worldwide ones, and the subtitle says so.
SURGE_GEOGRAPHY = ("worldwide", "unstated")
# The November 2020 post-election surge (Parler, MeWe): figures mostly inside it are no baseline
# for January 2021. Election day to the end of the month, the span of the surge figures in the data.
POST_ELECTION_SURGE = ("2020-11-03", "2020-11-30")


def _surges_per_day(d, height):
    from .style import human_number, new_figure
    from .surges import plot_surges

    fig, ax = new_figure(height)
    rates = d["surge_rates"]
    window = {"start": SURGE_START, "end": SURGE_END, "geography": SURGE_GEOGRAPHY}
    plot_surges(rates, d["platforms"], ax=ax, **window)
    data = analysis.surge_points(rates, **window)
    weak = is_flagged(data["weakly_sourced"]).to_numpy()
    top = data[~weak].sort_values("per_day").iloc[-1]
    subtitle = (f"{len(data)} figures for periods starting 6–17 January 2021, worldwide or with no region stated; "
                f"the highest on a page above tier 4 is {top.platform.title()}'s {human_number(top.per_day)} a day "
                f"({claim_words(top.reporter, top.claim_type)}); {_count(int(weak.sum()), 'figure rests', 'figures rest')} "
                f"on tier-4 pages alone (ringed)")
    return fig, data, subtitle


def _surge_multipliers(d, height):
    from .style import new_figure
    from .surges import plot_surges

    fig, ax = new_figure(height)
    quiet = analysis.quiet_baselines(d["surge_rates"], start=SURGE_START, end=SURGE_END, surges=(POST_ELECTION_SURGE,))
    window = {"start": SURGE_START, "end": SURGE_END, "geography": SURGE_GEOGRAPHY}
    plot_surges(quiet, d["platforms"], ax=ax, value="quiet_multiplier", **window)
    data = analysis.surge_points(quiet, "quiet_multiplier", **window)
    left_out = len(analysis.surge_points(quiet, "per_day", **window)) - len(data)
    rates = d["surge_rates"]
    weak_ids = set(rates.loc[is_flagged(rates["weakly_sourced"]).to_numpy(), "id"])
    like = ~is_flagged(data["quiet_cross_source"]).to_numpy()
    solid = like & ~data["id"].isin(weak_ids).to_numpy() & ~data["quiet_baseline_id"].isin(weak_ids).to_numpy()
    top = data[solid].sort_values("quiet_multiplier").iloc[-1]
    subtitle = (f"Each figure for 6–17 January 2021 against the latest quiet one of its kind before 6 January "
                f"(not itself a spike, not in the November 2020 post-election surge); {left_out} figures with no "
                f"such baseline are left out. The largest against the same reporter's baseline, neither on tier-4 "
                f"pages alone: {top.platform.title()} at {top.quiet_multiplier:.0f}× "
                f"({claim_words(top.reporter, top.claim_type)})")
    return fig, data, subtitle


def _lifecycle(d, height):
    from .durations import plot_lifecycle
    from .style import new_figure

    fig, ax = new_figure(height)
    plot_lifecycle(d["store_removals"], d["platforms"], app="parler", ax=ax)
    data = analysis.lifecycle_steps(d["store_removals"], "parler")
    apple, google = data[data["provider"] == "apple_app_store"], data[data["provider"] == "google_play"]
    stores = d["store_removals"]
    undated = stores[(stores["app"] == "parler") & (stores["date_precision"] != "day")
                     & stores["action"].isin(OFF_ACTIONS) & (stores["date"].dt.year == 2021)]
    subtitle = (f"Dropped by {data.loc[data['action'].isin(OFF_ACTIONS), 'provider'].nunique()} providers on "
                f"known days in January 2021 ({undated['provider'].nunique()} more on days not reported, not "
                f"drawn); Apple approved its return after {analysis.days_between(apple, 'removed', 'reinstated')} days "
                f"and it was back in the App Store after {analysis.days_between(apple, 'removed', 'back_online')}; "
                f"Google Play reinstated it after {analysis.days_between(google, 'removed', 'reinstated')}")
    return fig, data, subtitle


def _durations(d, height):
    from .durations import plot_ban_durations
    from .style import new_figure

    fig, ax = new_figure(height)
    bans = d["account_bans"]
    data = analysis.ban_durations(bans, targets=TRUMP_ACCOUNTS, start=BANS_FROM)
    as_of = bans["date"].max()
    plot_ban_durations(data, d["platforms"], ax=ax)
    back = data[~data["in_force"]]
    subtitle = (f"Trump's own accounts: {len(back)} of {len(data)} platforms let him back, after {back['days'].min()} "
                f"to {back['days'].max()} days; no return is recorded for the other {len(data) - len(back)} up to "
                f"{day_text(as_of)}, the last date in the data's account bans")
    return fig, data, subtitle


def _signal_daily(d, height):
    from .events import plot_series_with_events
    from .style import flag_handles, human_number, legend_below, mark_weak, new_figure

    fig, ax = new_figure(height)
    surges = d["surge_rates"]
    series = analysis.daily_series(surges, "signal", reporter="Apptopia", geography=SURGE_GEOGRAPHY)
    moments = key_moments(d["context_events"], ["ctx-0004", "ctx-0001", "ctx-0007"])
    plot_series_with_events(series, moments, ax=ax)
    ax.set_ylabel("downloads per day")
    weak_days = set(analysis.weak_days(surges, "signal", reporter="Apptopia", geography=SURGE_GEOGRAPHY))
    weak = series[series.index.isin(weak_days)]
    if mark_weak(ax, weak.index, weak.to_numpy()):
        legend_below(ax, flag_handles(True))
    data = series.rename("downloads").rename_axis("date").reset_index()
    data["weakly_sourced"] = data["date"].isin(weak_days)
    solid = series[~series.index.isin(weak_days)]
    subtitle = (f"Apptopia's daily estimates, as reported, went from {human_number(series.iloc[0])} on "
                f"{day_text(series.index[0], year=False)} to {human_number(series.iloc[-1])} on "
                f"{day_text(series.index[-1], year=False)}, worldwide or with no region stated; no figure was "
                f"reported for the days left blank. ")
    if len(solid) >= 2:
        subtitle += (f"On pages above tier 4: {human_number(solid.iloc[0])} on {day_text(solid.index[0], year=False)}, "
                     f"{human_number(solid.iloc[-1])} on {day_text(solid.index[-1], year=False)} "
                     f"({solid.iloc[-1] / solid.iloc[0]:.0f}×)")
    else:
        subtitle += (f"{len(weak)} of the {len(series)} days rest on tier-4 pages alone (ringed), so no multiple "
                     f"is stated")
    return fig, data, subtitle


def _telegram_mau(d, height):
    from .style import human_number, new_figure
    from .surges import plot_stock_growth

    fig, ax = new_figure(height)
    plot_stock_growth(d["surge_rates"], "telegram", ax=ax)
    ax.set_ylabel("monthly active users")
    rows = d["surge_rates"]
    data = analysis.stock_points(rows, "telegram")[
        ["id", "period_start", "date_precision", "value", "reporter", "claim_type", "source_url"]]
    first, last = data.sort_values("period_start").iloc[[0, -1]].itertuples()
    subtitle = (f"Company claims: {human_number(first.value)} in {first.period_start:%Y} to "
                f"{human_number(last.value)} in {last.period_start:%Y}")
    return fig, data, subtitle


def _atlas(d, height):
    from .style import new_figure
    from .waves import plot_wave_atlas

    fig, ax = new_figure(height)
    waves = d["waves"]
    plot_wave_atlas(waves, ax=ax, platforms=d["platforms"])
    data = waves[["wave", "name", "start", "end", "n_facts", "n_surge_figures", "n_company_claims", "tier12_share",
                  "trigger_ids", "destinations"]]
    thin = waves[waves["tier12_share"].fillna(0) < 0.7]
    subtitle = (f"{_count(len(waves), 'wave')} from {waves['start'].min():%Y} to {waves['end'].max():%Y}, with "
                f"{int(waves['n_facts'].sum())} facts and {int(waves['n_surge_figures'].sum())} surge figures; "
                f"{len(thin)} of them {'has' if len(thin) == 1 else 'have'} under 70% of their facts on a tier-1 "
                f"or tier-2 page")
    return fig, data, subtitle


def _compared(d, height):
    from .style import new_figure
    from .waves import plot_waves_compared, wave_label

    fig, ax = new_figure(height)
    profiles = d["wave_profiles"]
    plot_waves_compared(profiles, d["waves"], d["platforms"], ax=ax)
    data = compared_points(profiles)
    # Ranked only like for like and above tier 4 (wave_records); claims and estimates apart.
    records = wave_records(profiles, d["waves"])
    names = dict(zip(d["platforms"]["platform"], d["platforms"]["name"]))
    waves = d["waves"].set_index("wave")
    by_peak = data.set_index("peak_id")

    def who(peak_id) -> str:
        row = by_peak.loc[peak_id]
        return f"{names.get(row.destination, row.destination)} ({wave_label(waves.loc[row.wave])})"

    tops = []
    for group, words in (("claim", "company claims"), ("estimate", "estimates")):
        best = records[(records["measure"] == "largest multiple") & records["claim_type"].isin(claims_in(group))]
        best = best[best["value"] == best["value"].max()]
        if len(best):
            row = by_peak.loc[best.iloc[0]["peak_id"]]
            tops.append(f"among {words}, {' and '.join(who(p) for p in best['peak_id'])}, {row.peak_multiple:.0f}× "
                        f"({claim_words(row.peak_reporter, row.peak_claim_type)})")
    fast = records[records["measure"].str.startswith("earliest")]
    fast = fast[fast["value"] == fast["value"].min()]
    unranked = len(data) - len(headline_profiles(data))
    places = sorted({str(g) for g in data["peak_geography"]} - {"unstated"})
    if (data["peak_geography"].astype(str) == "unstated").any():
        places.append("no stated region")
    spans = (data["peak_end"] - data["peak_start"]).dt.days + 1
    subtitle = (f"{_count(len(data), 'destination')} in {_count(data['wave'].nunique(), 'wave')} "
                f"{'has' if len(data) == 1 else 'have'} a peak and a quiet baseline before their wave; "
                f"{unranked} of them (ringed or framed) are not ranked. The largest multiple {'; '.join(tops)}. "
                f"The earliest peak on or after its trigger: {' and '.join(who(p) for p in fast['peak_id'])}, "
                f"{_count(int(fast['value'].iloc[0]), 'day')} after it. The peak figures cover "
                f"{spans.min()} to {_count(int(spans.max()), 'day')} (a longer one is a daily average) in "
                f"{', '.join(places)}. "
                f"Not drawn: {_count(int((profiles['peak_id'].notna() & profiles['peak_multiple'].isna()).sum()), 'peak')} "
                f"with no quiet baseline and {_count(int(profiles['peak_id'].isna().sum()), 'destination')} "
                f"with no per-day figure")
    return fig, data, subtitle


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def draw_wave_timeline(wave: str, data: dict[str, pd.DataFrame] | None = None) -> tuple[Fig, pd.DataFrame]:
    """One wave day by day, titled and captioned like a report figure: every fact of the wave known to
    the day in its actor's lane and, below on the same days, its arrival figures per day (when it has any).
    Returns (fig, plotted data): one row per lane mark (``layer`` "event") and per figure ("arrival")."""
    import matplotlib.pyplot as plt

    from .style import CM, REPORT_WIDTH_CM, finish_figure, set_theme
    from .waves import plot_wave_arrivals, plot_wave_timeline

    d = data if data is not None else load_all()
    waves = d["waves"].set_index("wave")
    if wave not in waves.index:
        raise KeyError(f"no wave {wave!r}; the waves are: {', '.join(waves.index)}")
    row = waves.loc[wave]
    start, end = wave_chart_window(d["waves"], wave)
    mine = d["events"][d["events"]["wave"] == wave]
    drawn = analysis.timeline_lanes(mine, start, end, include_context=True)
    arrivals = wave_arrivals(d["surge_rates"], d["waves"], wave, start, end)
    n_lanes = max(1, drawn["actor"].nunique())
    lanes_cm = 3.2 + 0.42 * n_lanes
    set_theme()
    if len(arrivals):
        fig, (ax, below) = plt.subplots(2, 1, sharex=True, figsize=(REPORT_WIDTH_CM * CM, (lanes_cm + 9.5) * CM),
                                        height_ratios=(lanes_cm, 5.5), layout="constrained")
    else:
        fig, ax = plt.subplots(figsize=(REPORT_WIDTH_CM * CM, (lanes_cm + 4.0) * CM), layout="constrained")
    plot_wave_timeline(d["events"], d["waves"], wave, d["platforms"], ax=ax, start=start, end=end)
    if len(arrivals):
        plot_wave_arrivals(d["surge_rates"], d["waves"], wave, d["platforms"], ax=below, start=start, end=end)
        ax.tick_params(labelbottom=True)
    counts = analysis.facts_by_mark(drawn)
    parts = [_count(int(counts.get(k, 0)), one, many) for k, one, many in (
        ("state", "act of a state or court", "acts of states or courts"), ("ban", "account action", None),
        ("store", "store or provider action", None), ("return", "return", None), ("event", "other event", None))
        if counts.get(k, 0)]
    arrivals_text = (f"{_count(len(arrivals), 'arrival figure')} per day ({who_measured(arrivals)})" if len(arrivals)
                     else "no arrival figure with a per-day rate in these days")
    others = int((d["surge_rates"]["wave"] == wave).sum()) - len(arrivals)
    if others:
        arrivals_text += (f"; {_count(others, 'other figure')} of the wave (levels of users or visits, or outside "
                          f"these days) {'is' if others == 1 else 'are'} in its table")
    left_out = len(mine) - int(drawn["facts"].sum())
    not_drawn = (f"Not drawn: {left_out} more of the wave's {len(mine)} dated facts (known only to the month, or "
                 f"outside these days)" if left_out else f"All {len(mine)} of the wave's dated facts are drawn")
    subtitle = (f"From {day_text(start)} to {day_text(end)}: {', '.join(parts) or 'no fact known to the day'}; "
                f"{arrivals_text}. {not_drawn}")
    finish_figure(fig, str(row["name"]), subtitle, "Source: migration-analysis dataset, data/raw "
                  "(account_bans, store_removals, context_events, user_surges, waves)",
                  note="Dates are the actor's local date; each fact is counted once, however many pages report it. "
                       + ("A figure is a line over the days it covers, at its average per day (log scale); company "
                          "claims and analytics-firm estimates count different things." if len(arrivals) else ""))
    plotted = pd.concat([drawn.assign(layer="event"), arrivals.assign(layer="arrival")], ignore_index=True)
    return fig, plotted[["layer", *[c for c in plotted.columns if c != "layer"]]]


ATLAS = "The atlas: migration waves compared"
# The atlas comes first: the report and README present the waves, then January 2021 in detail.
FIGURES = (
    Figure("08_waves_atlas", "The migration waves in the data", _atlas,
           "the facts of each wave, each from its own cited pages", 10.0,
           caveat="A wave's window is where its facts fall, not a measured end of the migration; counts are "
                  "facts in the data, not the size of a wave.", section=ATLAS),
    Figure("09_waves_compared", "Which waves surged furthest, and how fast", _compared,
           "the reporters of each peak", 13.0,
           caveat="Each point divides one reported figure by an earlier one of the same kind and place, over "
                  "periods of different length; company claims are not measurements. Ringed points rest on tier-4 "
                  "pages alone, framed ones on another reporter's baseline: drawn, not ranked. The CSV names every figure.",
           section=ATLAS),
    Figure("01_timeline_january_2021", "The January 2021 wave, day by day", _timeline,
           "the platforms' and providers' own announcements and news reports of them", 16.0,
           caveat="Only actions known to the day are drawn (month-only ones, such as Twilio's, Zendesk's and "
                  "Slack's cut-offs of Parler, are in the data, not on the chart); dates are the actor's local date."),
    Figure("02_surges_per_day", "Who gained, and how fast", _surges_per_day, "the reporters of each figure", 9.0,
           caveat="Company claims and analytics-firm estimates count different things (sign-ups, store downloads) "
                  "over periods of different length; crosses are values we computed from a stated share."),
    Figure("03_surge_multipliers", "How far above normal", _surge_multipliers, "the reporters of each figure", 8.0,
           caveat="A multiplier divides two figures as reported; framed ones compare two reporters' figures, ringed "
                  "ones rest on tier-4 pages alone. The CSV names each baseline and its period: read it before quoting one."),
    Figure("04_parler_lifecycle", "Parler: removed, cut off, and back", _lifecycle,
           "Apple, Google, the providers and Parler, as announced and reported in the press", 10.0,
           caveat="Day-precision actions only; Apple approved Parler's return on 14 April 2021 and the app was "
                  "available again on 17 May, so Apple's bar runs to 17 May."),
    Figure("05_trump_ban_durations", "How long the bans on Trump lasted", _durations,
           "the platforms' announcements and news reports of them", 8.0,
           caveat="A hatched bar means no reinstatement is recorded in the data up to its latest date, not that none happened."),
    Figure("06_signal_daily_downloads", "Signal's week", _signal_daily,
           "Apptopia (estimates, as reported in the press)", 8.0,
           caveat="Apptopia's estimates as reported in the press, not its own publication; days with no reported "
                  "figure are left blank, not filled."),
    Figure("07_telegram_monthly_users", "Telegram's monthly active users", _telegram_mau, "Telegram (company claims)", 8.0,
           caveat="Telegram's own claims, not independent measurements; the dates are those of the announcements."),
)


def who_measured(plotted: pd.DataFrame) -> str:
    """Who stands behind a figure's numbers, from the rows it draws: 'Appfigures, Sensor Tower (estimates);
    Telegram (company claims)'; empty when the rows name no reporter."""
    for reporter, claim_type in (("reporter", "claim_type"), ("peak_reporter", "peak_claim_type")):
        if reporter in plotted and claim_type in plotted:
            parts = []
            for group, words in (("claim", "company claims"), ("estimate", "estimates"), ("record", "official records")):
                names = sorted(set(plotted.loc[plotted[claim_type].isin(claims_in(group)), reporter].dropna().astype(str)))
                if names:
                    parts.append(f"{', '.join(names)} ({words})")
            return "; ".join(parts)
    return ""


def source_line(figure: Figure, plotted: pd.DataFrame) -> str:
    """The figure's source line: who measured (or announced) what it draws, then the dataset and its version."""
    from .. import __version__

    who = who_measured(plotted) or figure.sources
    return f"Source: {who}. Compiled in migration-analysis {__version__} (every figure's pages in the CSV)."


def draw(figure: Figure, data: dict[str, pd.DataFrame]) -> tuple[Fig, pd.DataFrame]:
    """Draw one report figure with its title, finding and source line; returns (fig, plotted data)."""
    from .style import finish_figure

    fig, plotted, subtitle = figure.make(data, figure.height_cm)
    finish_figure(fig, figure.title, subtitle, source_line(figure, plotted), note=figure.caveat)
    return fig, plotted


def subtitle_of(fig) -> str:
    """The finding a drawn report figure states (its subtitle, unwrapped)."""
    return " ".join(fig.axes[0].get_title(loc="left").split())


def draw_figure(name: str, data: dict[str, pd.DataFrame] | None = None) -> tuple[Fig, pd.DataFrame]:
    """Draw one figure of the report set by name (see FIGURES); returns (fig, plotted data)."""
    by_name = {f.name: f for f in FIGURES}
    if name not in by_name:
        raise KeyError(f"no figure {name!r}; the report figures are: {', '.join(by_name)}")
    return draw(by_name[name], data if data is not None else load_all())


def export_all(out_dir, formats=("png", "svg", "pdf"), progress: bool = False, data_dir=None) -> list[Exported]:
    """Draw and save every report figure; returns each figure with its finding and files.

    The files reach ``out_dir`` as one set, only once every figure is drawn and saved
    (``data.staging.staged_folder``): an error or an interruption leaves the folder as it was.
    """
    import matplotlib.pyplot as plt

    from ..data.staging import staged_folder
    from .export import save_figure

    data = load_all(data_dir)
    written: list[Exported] = []
    items = FIGURES
    if progress:
        from tqdm import tqdm

        items = tqdm(FIGURES, desc="figures", unit="fig", ncols=80)
    out_dir = Path(out_dir)
    with staged_folder(out_dir) as staging:
        for figure in items:
            fig, plotted = draw(figure, data)
            paths = save_figure(fig, figure.name, staging, formats=formats, data=plotted)
            written.append(Exported(figure, subtitle_of(fig), [out_dir / p.name for p in paths]))
            plt.close(fig)
    return written
