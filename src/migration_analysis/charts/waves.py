"""Charts of the waves atlas: every wave on one time axis, the waves compared, one wave day by day.

Like every chart here, each takes data and keyword-only ``ax=None`` and returns the Axes; what each
draws is computed in ``analysis.waves``. Importing this module imports matplotlib (the package loads it
on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd

from ..analysis.waves import compared_points, wave_arrivals, wave_chart_window, wave_triggers
from ..data.schema import CLAIM_TYPES, claim
from ..formatting import geography_words, is_flagged
from .style import (
    LabelLayout,
    date_axis,
    date_ticks,
    flag_handles,
    legend_below,
    log_ticks,
    mark_cross_source,
    mark_weak,
    platform_names,
    target_axes,
)
from .timeline import plot_timeline

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# How each claim type is drawn (marker, filled), so company claims never look like measurements.
CLAIM_STYLES = {"company_claim": ("o", True), "third_party_estimate": ("D", False), "press_estimate": ("s", False),
                "official_record": ("^", True)}
assert set(CLAIM_STYLES) == set(CLAIM_TYPES)
WAVE_COLOR = "#0072B2"
# A window shorter than this share of the atlas's time axis would draw as a hairline: it is a marker.
SHORT_WAVE_SHARE = 0.012
# Colours of the platforms on a wave's arrivals chart (Okabe–Ito, without the wave blue's near twin).
PLATFORM_PALETTE = ("#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#882255", "#7F7F7F")


def wave_label(wave: pd.Series | object) -> str:
    """A wave's name as a chart labels a point with it: 'Brazil blocks X, 2024' for 'Brazil blocks X (2024)'."""
    name = str(wave["name"] if isinstance(wave, pd.Series) else wave.name)
    return name.replace(" (", ", ").removesuffix(")") if name.endswith(")") and name.count("(") == 1 else name


def plot_wave_atlas(data: pd.DataFrame, *, ax=None, platforms: pd.DataFrame | None = None, **kwargs) -> Axes:
    """Every wave as a bar from its start to its end on one time axis, earliest at the top.

    The wave's name labels its row; the text beside each bar says how many facts and surge figures
    the data holds for it, so a thin wave shows as thin. A wave too short to show as a bar at this
    scale (under ``SHORT_WAVE_SHARE`` of the axis) is a diamond at its start instead, said in the key,
    never a hairline. Given ``platforms``, a wave whose destinations include a VPN service says so
    (", VPNs" after its counts): a way around a block, not a new platform; the key says so. ``data`` is the processed
    ``waves`` table; ``kwargs`` go to matplotlib's ``barh``. Returns the Axes.
    """
    ax = target_axes(ax)
    rows = data.sort_values(["start", "wave"], kind="mergesort").reset_index(drop=True)
    y_of = {w: len(rows) - i for i, w in enumerate(rows["wave"])}
    first, last = rows["start"].min(), rows["end"].max()
    left, right = mdates.date2num(first - pd.Timedelta(days=90)), mdates.date2num(last + pd.Timedelta(days=420))
    ax.set_xlim(left, right)
    date_ticks(ax, maxticks=9, locator=mdates.YearLocator())
    shortest = SHORT_WAVE_SHARE * (right - left)
    vpns = set() if platforms is None else set(platforms.loc[platforms["category"].astype(str) == "vpn", "platform"])
    short = False
    for row in rows.itertuples():
        y = y_of[row.wave]
        start, end = mdates.date2num(row.start), mdates.date2num(row.end) + 1  # the end day is in the window
        if end - start < shortest:
            short = True
            ax.scatter([start], [y], marker="D", s=22, color=WAVE_COLOR, zorder=3)
            width = 0.0
        else:
            width = end - start
            ax.barh(y, width, left=start, **{"height": 0.55, "color": WAVE_COLOR, "zorder": 2, **kwargs})
        figures = f"{row.n_surge_figures} figure{'' if row.n_surge_figures == 1 else 's'}"
        around = ", VPNs" if set(str(row.destinations).split(" ")) & vpns else ""
        ax.text(start + width + 0.012 * (right - left), y, f"{row.n_facts} facts, {figures}{around}", va="center",
                fontsize=6.5, color="#222222")
    handles = [mpl.patches.Patch(color=WAVE_COLOR, label="a wave's window, start to end")]
    if any(set(str(d).split(" ")) & vpns for d in rows["destinations"]):
        handles.append(mpl.lines.Line2D([], [], linestyle="", label="VPNs: users went around the block (a VPN service is "
                                        "a destination)"))
    if short:
        handles.append(mpl.lines.Line2D([], [], marker="D", linestyle="", color=WAVE_COLOR,
                                        label=f"a window under {round(shortest)} days (its start)"))
    legend_below(ax, handles)
    ax.set_yticks([y_of[w] for w in rows["wave"]], rows["name"].tolist())
    ax.tick_params(axis="y", labelsize=6.5)  # many long names: smaller, so the plot keeps its width
    ax.set_ylim(0.3, len(rows) + 0.7)
    ax.grid(axis="y", visible=False)
    return ax


def plot_waves_compared(data: pd.DataFrame, waves: pd.DataFrame, platforms: pd.DataFrame | None = None, *, ax=None,
                        **kwargs) -> Axes:
    """Each wave's destinations by how far above a quiet baseline they peaked (log) and how fast.

    Only profiles with a multiple are drawn (``compared_points``); the marker says whose figure the
    peak is (company claims filled, estimates open); a dotted ring marks a peak or baseline resting on
    tier-4 pages alone and a grey square a baseline from another reporter (neither is ranked by
    ``wave_records``). Each point is labelled with the platform and its wave. ``data`` is
    ``wave_profiles``; ``kwargs`` go to ``scatter``. Returns the Axes.
    """
    points = compared_points(data)
    if points.empty:
        raise ValueError("no wave profile has both a peak and a quiet baseline; see the profiles' `gap` column")
    ax = target_axes(ax)
    names = platform_names(platforms)
    starts = waves.set_index("wave")
    for claim_type, (marker, filled) in CLAIM_STYLES.items():
        group = points[points["peak_claim_type"] == claim_type]
        if len(group):
            ax.scatter(group["days_to_peak"], group["peak_multiple"], **{
                "marker": marker, "s": 30, "zorder": 3, "facecolor": WAVE_COLOR if filled else "white",
                "edgecolor": WAVE_COLOR, "linewidth": 1.1, **kwargs})
    weak = points[is_flagged(points["weakly_sourced"]).to_numpy()] if "weakly_sourced" in points else points[:0]
    cross = points[is_flagged(points["cross_source"]).to_numpy()] if "cross_source" in points else points[:0]
    flags = flag_handles(mark_weak(ax, weak["days_to_peak"], weak["peak_multiple"]),
                         mark_cross_source(ax, cross["days_to_peak"], cross["peak_multiple"]))
    ax.set_yscale("log")
    log_ticks(ax.yaxis)
    ax.axhline(1, color="#555555", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.8, linestyle="--", zorder=0)  # the first trigger
    ax.set_xlabel("days from the wave's first trigger to the start of the peak figure's period")
    ax.set_ylabel("peak ÷ quiet baseline (log scale)")
    low, high = points["peak_multiple"].min(), points["peak_multiple"].max()
    ax.set_ylim(min(0.8, low / 1.5), high * 2.5)
    # Room on both sides: a label that finds no place on the right goes to the left of its point.
    ax.set_xlim(min(-1, points["days_to_peak"].min() - 1) - 5, points["days_to_peak"].max() * 1.35 + 6)
    names_of = {row.Index: f"{names.get(row.destination, row.destination)}, {wave_label(starts.loc[row.wave])}"
                for row in points.itertuples()}
    LabelLayout(ax, lambda: _label_points(ax, points["days_to_peak"], points["peak_multiple"], names_of)).place()
    shown = [c for c in CLAIM_STYLES if (points["peak_claim_type"] == c).any()]
    legend_below(ax, [mpl.lines.Line2D([], [], marker=CLAIM_STYLES[c][0], linestyle="", color=WAVE_COLOR,
                                       markerfacecolor=WAVE_COLOR if CLAIM_STYLES[c][1] else "white",
                                       label=claim(c).label) for c in shown] + flags)
    return ax


def _label_points(ax, xs: pd.Series, ys: pd.Series, texts: dict) -> list:
    """Label scatter points, largest y first, each where it overlaps no other label or point: right of
    the point, then above, below, or left of it; a label with no free place is left out. Returns the labels."""
    written = []
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    pad = 4 * ax.figure.dpi / 72
    points = [tuple(p) for p in ax.transData.transform(list(zip(xs, ys)))]
    taken = [mpl.transforms.Bbox.from_extents(px - pad, py - pad, px + pad, py + pad) for px, py in points]
    frame = ax.get_window_extent(renderer)
    for index in ys.sort_values(ascending=False).index:
        px, py = ax.transData.transform((xs[index], ys[index]))
        for dx, dy, ha in ((11, 0, "left"), (11, 10, "left"), (11, -10, "left"), (-11, 0, "right"), (-11, 10, "right")):
            x, y = ax.transData.inverted().transform((px + dx, py + dy))
            artist = ax.text(x, y, texts[index], fontsize=6.5, ha=ha, va="center", color="#222222",
                             in_layout=False)  # labels must not resize the plot they were placed on
            box = artist.get_window_extent(renderer).padded(1.5)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            # The label must sit nearer its own point than any other, or a reader pairs it wrongly.
            anchor = (px + dx, py + dy)
            own = (anchor[0] - px) ** 2 + (anchor[1] - py) ** 2
            nearer = any((anchor[0] - qx) ** 2 + (anchor[1] - qy) ** 2 < own for qx, qy in points if (qx, qy) != (px, py))
            if inside and not nearer and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                written.append(artist)
                break
            artist.remove()
    return written


def plot_wave_timeline(data: pd.DataFrame, waves: pd.DataFrame, wave: str, platforms: pd.DataFrame | None = None, *,
                       ax=None, start=None, end=None, **kwargs) -> Axes:
    """One wave day by day: every fact of the wave known to the day in its actor's lane.

    Acts of states and courts (diamonds) have the top lanes, then account actions, store and provider
    actions and returns, then other dated events (statements, milestones); the wave's triggers are also
    dashed lines labelled with their kind. ``data`` is the processed ``events`` table; the days shown are
    ``start``…``end``, by default ``wave_chart_window`` (the wave's window and a margin). Returns the Axes.
    """
    if start is None or end is None:
        start, end = wave_chart_window(waves, wave)
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    mine = data[data["wave"] == wave]
    span = (end - start).days + 1
    return plot_timeline(mine, platforms, ax=ax, start=start, end=end, context=wave_triggers(data, waves, wave),
                         days_per_tick=max(1, round(span / 6)), include_context=True, **kwargs)


def plot_wave_arrivals(data: pd.DataFrame, waves: pd.DataFrame, wave: str, platforms: pd.DataFrame | None = None, *,
                       ax=None, start=None, end=None, **kwargs) -> Axes:
    """A wave's arrival figures on its timeline's days: each per-day rate a line over its period (log scale),
    marked at its middle by who made it (company claims filled, estimates open), coloured by platform and
    labelled with the platform, the reporter and where it was counted; ringed if it rests on tier-4 pages
    alone. Its key joins the figure's key below the plots.

    ``data`` is ``surge_rates``; the figures are ``analysis.wave_arrivals``. Raises ValueError when the
    wave has none in ``start``…``end``. ``kwargs`` go to ``scatter``. Returns the Axes.
    """
    if start is None or end is None:
        start, end = wave_chart_window(waves, wave)
    points = wave_arrivals(data, waves, wave, start, end)
    if points.empty:
        raise ValueError(f"wave {wave!r} has no arrival figure with a per-day rate from {start:%Y-%m-%d} to {end:%Y-%m-%d}")
    ax = target_axes(ax)
    names = platform_names(platforms)
    colors = dict(zip(dict.fromkeys(points["platform"]), PLATFORM_PALETTE))
    day = pd.Timedelta(days=1)
    middles = points["period_start"] + (points["period_end"] + day - points["period_start"]) / 2
    for row, middle in zip(points.itertuples(), middles):
        color = colors[row.platform]
        marker, filled = CLAIM_STYLES[str(row.claim_type)]
        ax.plot([row.period_start, row.period_end + day], [row.per_day] * 2, color=color, linewidth=1.6, zorder=2)
        ax.scatter([middle], [row.per_day], **{"marker": marker, "s": 30, "zorder": 3, "edgecolor": color,
                                              "facecolor": color if filled else "white", "linewidth": 1.1, **kwargs})
    weak = is_flagged(points["weakly_sourced"]).to_numpy()
    any_weak = mark_weak(ax, middles[weak], points.loc[weak, "per_day"])
    date_axis(ax, start, end)
    ax.set_yscale("log")
    log_ticks(ax.yaxis)
    low, high = points["per_day"].min(), points["per_day"].max()
    ax.set_ylim(low / 3, high * 4)
    ax.set_ylabel("per day (log scale)")
    texts = {i: f"{names.get(row.platform, row.platform)}: {row.reporter}, {geography_words(row.geography)}"
             for i, row in points.iterrows()}
    xs = pd.Series(mdates.date2num(middles), index=points.index)
    LabelLayout(ax, lambda: _label_points(ax, xs, points["per_day"], texts)).place()
    shown = [c for c in CLAIM_STYLES if (points["claim_type"] == c).any()]
    handles = [mpl.lines.Line2D([], [], marker=CLAIM_STYLES[c][0], linestyle="-", color="#444444",
                                markerfacecolor="#444444" if CLAIM_STYLES[c][1] else "white",
                                label=claim(c).label) for c in shown]
    legend_below(ax, handles + flag_handles(any_weak))
    return ax
