"""Who gained and how fast: surge figures per day by platform, and reported levels over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import pandas as pd

from ..analysis.rates import stock_points, surge_points
from ..data.schema import ARRIVAL_METRICS, claims_in
from ..formatting import is_flagged
from .style import (
    CONTEXT_COLOR,
    category_colors,
    date_ticks,
    flag_handles,
    human_number,
    legend_below,
    log_ticks,
    mark_cross_source,
    mark_weak,
    platform_names,
    target_axes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_surges(data: pd.DataFrame, platforms: pd.DataFrame | None = None, *, ax=None, value: str = "per_day",
                start, end, geography: str | tuple[str, ...] = "worldwide",
                metrics: tuple[str, ...] = ARRIVAL_METRICS, **kwargs) -> Axes:
    """Per-day rates (or multipliers) of downloads and sign-ups by platform on a log scale.

    Takes the figures whose period starts between ``start`` and ``end``. Company claims are filled
    circles, third-party and press estimates open diamonds, values we computed crosses. Nothing joins
    a platform's points: they are figures of different days and periods, not a range of estimates of
    one thing. A dotted ring marks a figure resting on tier-4 pages alone; for multipliers, a grey
    square one whose baseline is another reporter's. ``data`` is ``surge_rates`` (or
    ``quiet_baselines``) output; ``analysis.surge_points`` selects the figures. ``kwargs`` go to
    matplotlib's ``scatter`` for the points. Returns the Axes.
    """
    points = surge_points(data, value, start=start, end=end, geography=geography, metrics=metrics)
    if points.empty:
        raise ValueError(f"no {', '.join(metrics)} figures with a {value} for periods starting {start} to {end} "
                         f"in {geography}; pass start=, end= or geography= to match your data")
    ax = target_axes(ax)
    names, colors = platform_names(platforms), category_colors(platforms)
    order = (points.groupby("platform", observed=True)[value].max().sort_values().index.tolist())
    y_of = {p: i for i, p in enumerate(order)}
    for platform, group in points.groupby("platform", observed=True):
        y = y_of[platform]
        ax.axhline(y, color="#E4E4E4", linewidth=0.6, zorder=0)
        color = colors.get(platform, CONTEXT_COLOR)
        derived = group[group["derived"].fillna(False).astype(bool)]
        stated = group.drop(derived.index)
        filled = stated["claim_type"].isin(claims_in("claim") + claims_in("record"))
        claims, others = stated[filled], stated[~filled]
        ax.scatter(claims[value], [y] * len(claims), **{"marker": "o", "s": 22, "color": color, "zorder": 3, **kwargs})
        ax.scatter(others[value], [y] * len(others), **{"marker": "D", "s": 18, "facecolor": "white", "edgecolor": color,
                                                        "linewidth": 1.1, "zorder": 3, **kwargs})
        ax.scatter(derived[value], [y] * len(derived), **{"marker": "x", "s": 22, "color": color, "linewidth": 1.1,
                                                          "zorder": 3, **kwargs})
    weak = points[is_flagged(points["weakly_sourced"]).to_numpy()]
    any_weak = mark_weak(ax, weak[value], weak["platform"].map(y_of))
    cross_column = "quiet_cross_source" if value == "quiet_multiplier" else "cross_source"
    any_cross = False
    if value.endswith("multiplier") and cross_column in points:
        cross = points[is_flagged(points[cross_column]).to_numpy()]
        any_cross = mark_cross_source(ax, cross[value], cross["platform"].map(y_of))
    ax.set_xscale("log")
    ax.set_yticks(range(len(order)), [names.get(p, p) for p in order])
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.grid(axis="y", visible=False)
    if value.endswith("multiplier"):
        ax.axvline(1, color="#555555", linewidth=0.8)
        ax.set_xlabel("multiplier: figure ÷ its baseline (log scale; 1 = no change)")
    else:
        ax.set_xlabel("downloads, sign-ups or new users per day (log scale)")
    log_ticks(ax.xaxis)
    handles = [
        mpl.lines.Line2D([], [], marker="o", linestyle="", color="#444444", label="company claim"),
        mpl.lines.Line2D([], [], marker="D", linestyle="", markerfacecolor="white", color="#444444",
                         label="analytics firm or press estimate"),
        *flag_handles(any_weak, any_cross),
    ]
    if points["derived"].fillna(False).astype(bool).any():
        handles.insert(2, mpl.lines.Line2D([], [], marker="x", linestyle="", color="#444444",
                                           label="our computation"))
    legend_below(ax, handles)
    return ax


def plot_stock_growth(data: pd.DataFrame, platform: str, metric: str = "monthly_active_users", *, ax=None,
                      color: str = "#009E73", **kwargs) -> Axes:
    """Reported levels of a stock metric over time (e.g. Telegram's monthly active users).

    Every reported figure is a point (company claims filled); a line joins the latest figure of
    each date. ``data`` is ``surge_rates``; ``kwargs`` go to ``scatter``. Returns the Axes.
    """
    ax = target_axes(ax)
    rows = stock_points(data, platform, metric)
    claims = rows["claim_type"].isin(claims_in("claim"))
    ax.scatter(rows.loc[claims, "period_start"], rows.loc[claims, "value"], **{"color": color, "s": 20, "zorder": 3,
                                                                               **kwargs})
    ax.scatter(rows.loc[~claims, "period_start"], rows.loc[~claims, "value"], **{"facecolor": "white", "edgecolor": color,
                                                                                 "marker": "D", "s": 18, "zorder": 3,
                                                                                 **kwargs})
    line = rows.groupby("period_start")["value"].max()
    ax.plot(line.index, line.to_numpy(dtype=float), color=color, linewidth=1, alpha=0.6)
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(human_number))
    ax.set_ylim(bottom=0)
    date_ticks(ax, maxticks=10)
    return ax
