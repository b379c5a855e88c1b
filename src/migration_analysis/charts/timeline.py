"""A wave day by day: one lane per actor, a marker per day's actions, labels that do not overlap."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd

from ..analysis.timeline import lane_order, timeline_lanes, timeline_marks
from ..formatting import actor_name
from .events import annotate_events
from .style import (
    BAN_MARKER,
    CATEGORY_COLORS,
    CONTEXT_COLOR,
    REMOVAL_MARKER,
    RETURN_MARKER,
    LabelLayout,
    category_colors,
    category_names,
    date_axis,
    flag_handles,
    legend_below,
    mark_weak,
    place_labels,
    platform_names,
    target_axes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# How each kind of mark (``timeline_marks``' ``drawn_as``) is drawn and named in the key.
MARKERS = {"ban": BAN_MARKER, "store": REMOVAL_MARKER, "return": RETURN_MARKER, "state": "D", "event": "h"}
MARK_KEY = {"state": "act of a state or court", "ban": "account action", "store": "app store / provider action",
            "return": "return / new provider", "event": "other event (statement, milestone)"}
STATE_COLOR = "#333333"


def plot_timeline(data: pd.DataFrame, platforms: pd.DataFrame | None = None, *, ax=None, start, end,
                  context: pd.DataFrame | None = None, omit_targets: tuple[str, ...] = (),
                  days_per_tick: int = 2, include_context: bool = False, **kwargs) -> Axes:
    """The ``events`` in ``start``…``end`` day by day: one lane per actor, a marker per day's actions.

    Bans are circles, app-store and infrastructure actions squares, returns open triangles; colours
    follow the actor's platform category. With ``include_context`` the context events known to the day
    get marks too, in their actor's lane: acts of states and courts as dark diamonds (their lanes on
    top), other events (statements, milestones) as grey hexagons. Each marker is labelled as ``analysis.timeline_marks`` says
    (the most severe action of the day and its target, unless the target contains one of
    ``omit_targets``, the chart's subject said in its title). ``context`` (a frame with ``date`` and
    ``label``) is drawn with ``annotate_events`` above the lanes. ``days_per_tick`` spaces the date
    ticks. ``kwargs`` go to matplotlib's ``scatter`` for the markers. Returns the Axes.
    """
    ax = target_axes(ax)
    lanes = timeline_lanes(data, start, end, include_context=include_context)
    names = platform_names(platforms)
    marks = timeline_marks(lanes, names, omit_targets)
    colors = category_colors(platforms)
    order = lane_order(lanes)
    y_of = {actor: len(order) - i for i, actor in enumerate(order)}
    date_axis(ax, start, end, days_per_tick=days_per_tick)
    # Room on the right for the labels of the last days, so they stay inside the plot.
    ax.set_xlim(ax.get_xlim()[0], mdates.date2num(pd.Timestamp(end)) + 2.2)
    headroom = 3.4 if context is not None else 0.9
    ax.set_ylim(0.3, len(order) + headroom)
    ax.set_yticks([y_of[a] for a in order], [actor_name(a, names) for a in order])
    ax.grid(axis="y", visible=False)
    for y in y_of.values():
        ax.axhline(y, color="#DDDDDD", linewidth=0.6, zorder=0)
    labels, points = [], []
    for mark in marks.itertuples():
        y = y_of[mark.actor]
        marker = MARKERS[mark.drawn_as]
        color = STATE_COLOR if mark.drawn_as == "state" else colors.get(mark.actor, CONTEXT_COLOR)
        ax.scatter([mark.date], [y], **{"marker": marker, "s": 28, "zorder": 3, "edgecolor": color, "linewidth": 1.1,
                                        "facecolor": "white" if mark.is_return else color, **kwargs})
        # The gap between a marker and its label grows with the window (0.25 day on the 16-day chart).
        if mark.label:
            labels.append((mdates.date2num(mark.date) + 0.125 * days_per_tick, y, mark.label, mark.compact,
                           mark.rank))
        points.append((mdates.date2num(mark.date), y))
    weak = marks.loc[marks["weak"].astype(bool)]
    any_weak = mark_weak(ax, weak["date"], [y_of[a] for a in weak["actor"]])
    ax.figure.canvas.draw()  # fixes the layout so label boxes can be measured
    # Labels stay on their lane (never between two); one that cannot fit is left to its marker.
    LabelLayout(ax, lambda: place_labels(ax, labels, offsets=(0.0,), markers=points)).place()
    if context is not None:
        annotate_events(ax, context)
    shown = set(marks["drawn_as"])
    handles = [mpl.lines.Line2D([], [], marker=MARKERS[k], linestyle="", color="#444444",
                                markerfacecolor="white" if k == "return" else None, label=text)
               for k, text in MARK_KEY.items() if k in shown or (not include_context and k in ("ban", "store", "return"))]
    categories = category_names(platforms, marks["actor"])
    handles += [mpl.patches.Patch(color=CATEGORY_COLORS[c], label=c.replace("_", " ")) for c in categories]
    handles += flag_handles(any_weak)
    if (marks["facts"] > 1).any():
        handles.append(mpl.lines.Line2D([], [], linestyle="", label="(+n): n more actions by that actor that day"))
    legend_below(ax, handles)
    return ax
