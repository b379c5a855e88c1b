"""How long things lasted: an app's path through removals and returns, and each ban's length."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import pandas as pd

from ..analysis.durations import RETURN_ACTIONS, lifecycle_steps, outage_spans
from ..data.schema import action
from ..formatting import day_text
from .style import (
    CONTEXT_COLOR,
    REMOVAL_MARKER,
    RETURN_MARKER,
    category_colors,
    date_ticks,
    flag_handles,
    legend_below,
    mark_weak,
    platform_names,
    target_axes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_lifecycle(data: pd.DataFrame, platforms: pd.DataFrame | None = None, *, app: str, ax=None, end=None,
                   **kwargs) -> Axes:
    """An app's path through removals and returns, one lane per provider.

    A red bar runs from the first day a provider dropped the app to the day it took it back (or to
    ``end``; ``analysis.outage_spans``); the markers are the dated actions (``analysis.lifecycle_steps``).
    ``data`` is ``store_removals``; ``kwargs`` go to matplotlib's ``scatter``. Returns the Axes.
    """
    ax = target_axes(ax)
    steps = lifecycle_steps(data, app)
    names, colors = platform_names(platforms), category_colors(platforms)
    providers = steps.drop_duplicates("provider")["provider"].tolist()
    y_of = {p: len(providers) - i for i, p in enumerate(providers)}
    end = pd.Timestamp(end) if end is not None else steps["date"].max() + pd.Timedelta(days=20)
    spans = outage_spans(steps, end).set_index("provider")
    for provider in providers:
        own = steps[steps["provider"] == provider]
        y = y_of[provider]
        if provider in spans.index:
            gone, back = spans.loc[provider, "gone"], spans.loc[provider, "back"]
            ax.barh(y, (back - gone).days, left=gone, height=0.35, color="#D55E00", alpha=0.25, zorder=1)
        color = colors.get(provider, CONTEXT_COLOR)
        for row in own.itertuples():
            is_return = row.action in RETURN_ACTIONS
            ax.scatter([row.date], [y], **{"marker": RETURN_MARKER if is_return else REMOVAL_MARKER, "s": 26,
                                           "zorder": 3, "facecolor": "white" if is_return else color,
                                           "edgecolor": color, "linewidth": 1.1, **kwargs})
    weak = steps.loc[steps["weak"].astype(bool)]
    any_weak = mark_weak(ax, weak["date"], [y_of[p] for p in weak["provider"]])
    ax.set_yticks([y_of[p] for p in providers], [names.get(p, p) for p in providers])
    ax.set_ylim(0.5, len(providers) + 0.7)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(steps["date"].min() - pd.Timedelta(days=15), end)
    date_ticks(ax, maxticks=10)
    # One line of text per provider, above its lane: every dated step in order.
    for provider in providers:
        own = steps[steps["provider"] == provider]
        words = [f"{action(r.action).label} {day_text(r.date)}" for r in own.itertuples()]
        ax.text(own["date"].min(), y_of[provider] + 0.33, "  →  ".join(dict.fromkeys(words)), fontsize=6.5,
                va="center", ha="left", color="#222222")
    handles = [
        mpl.lines.Line2D([], [], marker=REMOVAL_MARKER, linestyle="", color="#444444", label="warned / removed / cut off"),
        mpl.lines.Line2D([], [], marker=RETURN_MARKER, linestyle="", markerfacecolor="white", color="#444444",
                         label="reinstated / new provider / back online"),
        mpl.patches.Patch(color="#D55E00", alpha=0.25, label="unavailable from this provider (to the edge: no return)"),
        *flag_handles(any_weak),
    ]
    legend_below(ax, handles)
    return ax


def plot_ban_durations(data: pd.DataFrame, platforms: pd.DataFrame | None = None, *, ax=None, **kwargs) -> Axes:
    """How long each ban lasted: a bar from ban to reinstatement, hatched while still in force.

    ``data`` is the output of ``analysis.ban_durations``. Where sources give different
    reinstatement days, a thin whisker runs to the latest. ``kwargs`` go to matplotlib's ``barh``.
    Returns the Axes.
    """
    ax = target_axes(ax)
    names, colors = platform_names(platforms), category_colors(platforms)
    rows = data.reset_index(drop=True)
    for i, row in rows.iterrows():
        y = len(rows) - i
        color = colors.get(row.platform, CONTEXT_COLOR)
        ax.barh(y, row.days, left=row.banned, **{"height": 0.55, "color": color, "alpha": 0.35 if row.in_force else 0.85,
                                                 "hatch": "////" if row.in_force else None, "edgecolor": color,
                                                 "linewidth": 0.8, **kwargs})
        if pd.notna(row.reinstated_last) and row.reinstated_last > row.reinstated:
            ax.plot([row.reinstated, row.reinstated_last], [y, y], color="#222222", linewidth=1)
        text = (f"{row.days:,}+ days, to {day_text(row.banned + pd.Timedelta(days=row.days))}"
                if row.in_force else f"{row.days:,} days")
        ax.text(row.banned + pd.Timedelta(days=row.days + 12), y, text, va="center", fontsize=7)
    ax.set_yticks([len(rows) - i for i in range(len(rows))], [names.get(p, p) for p in rows["platform"]])
    ax.set_ylim(0.4, len(rows) + 0.6)
    ax.grid(axis="y", visible=False)
    start = rows["banned"].min() - pd.Timedelta(days=20)
    stop = (rows["banned"] + pd.to_timedelta(rows["days"], unit="D")).max() + pd.Timedelta(days=330)
    ax.set_xlim(start, stop)
    date_ticks(ax, maxticks=8)
    handles = [mpl.patches.Patch(color="#555555", alpha=0.85, label="until reinstated"),
               mpl.patches.Patch(facecolor="#BBBBBB", hatch="////", edgecolor="#555555",
                                 label="no reinstatement in the data (bar ends at its last date)")]
    legend_below(ax, handles)
    return ax
