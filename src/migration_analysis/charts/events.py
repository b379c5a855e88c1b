"""Events on a time axis: dashed lines with labels, and a daily series drawn with them."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd

from ..analysis.change import day_events
from .style import CONTEXT_COLOR, date_ticks, human_number, legend_below, log_ticks, target_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


# The formatters a date axis carries (matplotlib sets one of them, and a DateLocator, when dates are plotted).
DATE_FORMATTERS = (mdates.AutoDateFormatter, mdates.ConciseDateFormatter, mdates.DateFormatter)


def annotate_events(ax, events: pd.DataFrame, label: str = "label", color: str = CONTEXT_COLOR,
                    fontsize: float = 6.5, precision: str = "day") -> Axes:
    """Mark each event day on a time-series Axes: a dashed vertical line and a label near the top.

    ``events`` needs a ``date`` column and a ``label`` column (or the column named by ``label``).
    With a ``date_precision`` column, only day-precision events are drawn unless
    ``precision="any"`` (a warning names those left out). Several events on one day share a line,
    labelled "first; second" (three or more: "first (+N more)"). Labels are written beside their lines and moved down a row
    when they would overlap another; a label that still cannot fit is left out (its line stays),
    so a chart of many events stays readable. Leave some headroom above the data. Returns the Axes.

    The x axis must be a linear axis of dates (a ValueError says so otherwise, instead of drawing
    nothing); events outside its range are skipped, with a warning when none is inside it.
    """
    dated = (isinstance(ax.xaxis.get_major_locator(), mdates.DateLocator)
             or isinstance(ax.xaxis.get_major_formatter(), DATE_FORMATTERS))
    if ax.get_xscale() != "linear" or not dated:
        raise ValueError(f"annotate_events marks days on a time axis, but this Axes' x axis is a {ax.get_xscale()} axis "
                         "of numbers (plot_surges, for one, puts per-day values there); use a chart of dates such as "
                         "plot_series_with_events or plot_timeline")
    frame = day_events(events, precision).sort_values("date", kind="mergesort")
    frame = (frame.assign(date=pd.to_datetime(frame["date"]).dt.normalize())
             .groupby("date", sort=True)[label]
             .agg(lambda texts: "; ".join(texts) if len(texts) <= 2 else f"{texts.iloc[0]} (+{len(texts) - 1} more)")
             .reset_index())
    xmin, xmax = ax.get_xlim()
    renderer = ax.figure.canvas.get_renderer()
    # One row of labels is 1.7 line heights, as a fraction of the plot's height.
    step = fontsize * 1.7 / (ax.get_window_extent(renderer).height * 72 / ax.figure.dpi)
    placed = []
    inside = [xmin <= mdates.date2num(pd.Timestamp(day)) <= xmax for day in frame["date"]]
    if len(frame) and not any(inside):
        warnings.warn(f"none of the {len(frame)} events falls between {mdates.num2date(xmin):%Y-%m-%d} and "
                      f"{mdates.num2date(xmax):%Y-%m-%d}, the x axis' range; nothing was marked", stacklevel=2)
    for day, text in zip(frame["date"], frame[label]):
        x = mdates.date2num(pd.Timestamp(day))
        if not xmin <= x <= xmax:
            continue
        ax.axvline(x, color=color, linestyle="--", linewidth=0.7, zorder=0.5)
        for row in range(6):
            artist = ax.text(x, 0.985 - row * step, f" {text}", transform=ax.get_xaxis_transform(), ha="left",
                             va="top", fontsize=fontsize, color="#333333", zorder=4,
                             bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.4},
                             in_layout=False)  # labels live inside the plot; they must not resize it
            box = artist.get_window_extent(renderer)
            if box.x1 > ax.get_window_extent(renderer).x1:  # near the right edge: write it to the left
                artist.set_text(f"{text} ")
                artist.set_horizontalalignment("right")
                box = artist.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            artist.remove()
    return ax


def plot_series_with_events(data: pd.Series, events: pd.DataFrame | None = None, *, ax=None,
                            color: str = "#009E73", log: bool = False, label: str | None = None,
                            precision: str = "day", counterfactual: pd.DataFrame | None = None, **kwargs) -> Axes:
    """A daily series as a line with points, with ``annotate_events`` markers. Returns the Axes.

    Only day-precision events are drawn unless ``precision="any"`` (see ``annotate_events``).
    With ``counterfactual`` (from ``ma.counterfactual_path``), what the model says the series would
    have done without the event is drawn as a dashed grey line with its band, and the legend says so.

    Missing days break the line instead of being bridged, so a gap in the data stays visible.
    ``kwargs`` go to matplotlib's ``plot`` for the series' line.
    """
    ax = target_axes(ax)
    series = data.reindex(pd.date_range(data.index.min(), data.index.max(), freq="D"))
    if counterfactual is not None:
        ax.fill_between(counterfactual.index, counterfactual["cf_low"].to_numpy(dtype=float),
                        counterfactual["cf_high"].to_numpy(dtype=float), color="#BBBBBB", alpha=0.5, linewidth=0,
                        zorder=1, label=f"{counterfactual.attrs.get('level', 0.95):.0%} band")
        ax.plot(counterfactual.index, counterfactual["counterfactual"].to_numpy(dtype=float), color="#555555",
                linestyle="--", linewidth=1.1, zorder=2, label="without the event (model)")
    ax.plot(series.index, series.to_numpy(dtype=float), **{"marker": "o", "markersize": 3.5, "linewidth": 1.4,
                                                            "color": color, "label": label or data.name, **kwargs})
    if counterfactual is not None:
        legend_below(ax, ax.get_legend_handles_labels()[0][::-1])
    span = series.index.max() - series.index.min()
    pad = max(span * 0.05, pd.Timedelta(days=1))
    ax.set_xlim(series.index.min() - pad, series.index.max() + pad)
    if log:
        ax.set_yscale("log")
        log_ticks(ax.yaxis)
    else:
        ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(human_number))
    ax.set_ylim(bottom=0 if not log else None)
    ax.set_ylim(top=ax.get_ylim()[1] * (1.45 if not log else 4))  # room for the event labels
    date_ticks(ax, maxticks=10)
    if events is not None:
        annotate_events(ax, events, precision=precision)
    return ax
