"""The house style and what every chart shares: figure size, colours, date and number axes, the key,
the title block, and labels that never overlap (``LabelLayout``).

Importing this module imports matplotlib and seaborn (the package loads it on first use) and changes
nothing else: ``set_theme`` and ``new_figure`` apply the house style when called, as seaborn's own
``set_theme`` does; chart functions never do.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ..formatting import day_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as Fig

CM = 1 / 2.54
REPORT_WIDTH_CM = 16.0

# Okabe–Ito colours (safe for the common colour-vision deficiencies), one per platform category;
# the two categories Okabe–Ito has no room for get a dark gold and a wine from Paul Tol's set.
CATEGORY_COLORS = {
    "mainstream_social": "#0072B2",
    "alt_social": "#D55E00",
    "messenger": "#009E73",
    "video": "#CC79A7",
    "forum": "#E69F00",
    "app_store": "#56B4E9",
    "cloud_infra": "#000000",
    "payments": "#8C6D00",
    "ecommerce": "#882255",
    "vpn": "#44AA99",
    "other": "#7F7F7F",
}
CONTEXT_COLOR = "#7F7F7F"
BAN_MARKER, REMOVAL_MARKER, RETURN_MARKER = "o", "s", "^"
# A weakly sourced point (every page behind it is tier 4) gets a dotted ring around its marker, and a
# multiple against another reporter's baseline a grey square: both are in the key wherever drawn.
WEAK_STYLE = {"marker": "o", "s": 95, "facecolor": "none", "edgecolor": "#666666", "linewidth": 0.9,
              "linestyle": (0, (1, 1.2)), "zorder": 4}
WEAK_LABEL = "tier-4 pages only (weakly sourced)"
CROSS_STYLE = {"marker": "s", "s": 85, "facecolor": "none", "edgecolor": "#999999", "linewidth": 0.8, "zorder": 2}
CROSS_LABEL = "baseline from another reporter"


def mark_weak(ax, xs, ys) -> bool:
    """Ring the points at ``xs``/``ys`` as weakly sourced; returns whether any was drawn."""
    xs, ys = list(xs), list(ys)
    if xs:
        ax.scatter(xs, ys, **WEAK_STYLE)
    return bool(xs)


def mark_cross_source(ax, xs, ys) -> bool:
    """Frame the points at ``xs``/``ys`` as compared with another reporter's baseline."""
    xs, ys = list(xs), list(ys)
    if xs:
        ax.scatter(xs, ys, **CROSS_STYLE)
    return bool(xs)


def flag_handles(weak: bool, cross: bool = False) -> list:
    """The key entries for the flags drawn on a chart."""
    handles = []
    if weak:
        handles.append(mpl.lines.Line2D([], [], marker="o", markersize=8, linestyle="", markerfacecolor="none",
                                        markeredgecolor="#666666", markeredgewidth=0.9, label=WEAK_LABEL))
    if cross:
        handles.append(mpl.lines.Line2D([], [], marker="s", markersize=8, linestyle="", markerfacecolor="none",
                                        markeredgecolor="#999999", markeredgewidth=0.8, label=CROSS_LABEL))
    return handles


def set_theme() -> None:
    """Apply the house style: seaborn's whitegrid theme at a size that stays legible 16 cm wide."""
    sns.set_theme(style="whitegrid", context="paper", palette=list(CATEGORY_COLORS.values()))
    mpl.rcParams.update({
        # DejaVu Sans draws every figure; an SVG names fallbacks for machines without it.
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
        "font.size": 8,
        "axes.titlesize": 8.5,
        "axes.labelsize": 8,
        "xtick.labelsize": 7.5,
        "ytick.labelsize": 7.5,
        "legend.fontsize": 7.5,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlelocation": "left",
        "figure.dpi": 100,
        "savefig.dpi": 200,
        # SVG keeps text as text, so a report's designer can edit labels; PDF embeds TrueType
        # (Type 42) fonts, which print shops and PDF/A checks accept and Type 3 bitmaps are not.
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
    })


def new_figure(height_cm: float = 9.0, width_cm: float = REPORT_WIDTH_CM) -> tuple[Fig, Axes]:
    """A figure at report size with the house style applied (``set_theme``); returns (fig, ax)."""
    set_theme()
    fig, ax = plt.subplots(figsize=(width_cm * CM, height_cm * CM), layout="constrained")
    return fig, ax


def finish_figure(fig, title: str, subtitle: str, source: str, width_chars: int | None = None,
                  note: str = "") -> None:
    """Title (bold), a subtitle that states the finding, the key (if any), a note and a source line.

    The subtitle is wrapped to the report width. The key, the note (a caveat the image must carry
    wherever it is published) and the source line sit in a strip reserved under the plot, so
    nothing overlaps or is clipped.
    """
    import textwrap

    height_cm = fig.get_figheight() / CM
    ax = fig.axes[0]
    # About 0.165 cm a character at 8 pt; the subtitle starts where the plot does: ~3.5 cm in, or further
    # when long row labels push the plot right (about 0.15 cm a character at 7 pt, with a margin).
    longest = max((len(t.get_text()) for t in ax.get_yticklabels()), default=0)
    plot_left_cm = max(3.5, 0.7 + 0.15 * longest)
    # The note and source line span the figure, whatever the plot's left edge.
    footer_chars = int((width_chars or int((fig.get_figwidth() / CM - 4.0) / 0.165)) * 1.45)
    width_chars = width_chars or int((fig.get_figwidth() / CM - plot_left_cm - 0.5) / 0.165)
    fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    # y=1.0 fixes the subtitle above the plot; left to itself matplotlib re-measures every tick
    # label on each draw to position it, a third of the export time.
    wrapped = "\n".join(textwrap.wrap(subtitle, width_chars, break_on_hyphens=False))
    ax.set_title(wrapped, loc="left", fontsize=8, color="#333333", pad=6, y=1.0)
    note_lines = textwrap.wrap(f"Note: {note}", footer_chars) if note else []
    note_lines += textwrap.wrap(source, footer_chars)[:-1]
    source = textwrap.wrap(source, footer_chars)[-1] if source else source
    note_cm = 0.28 * len(note_lines)
    key_rows = max((-(-len(legend.legend_handles) // legend_columns(legend.legend_handles)) for legend in fig.legends),
                   default=0)
    strip_cm = 0.5 + (0.55 + 0.36 * (key_rows - 1) if key_rows else 0) + note_cm
    # w_pad: a margin at the edges, as text is a little wider at print resolution than on screen.
    fig.get_layout_engine().set(rect=(0, strip_cm / height_cm, 1, 1 - strip_cm / height_cm), w_pad=0.12)
    for legend in fig.legends:
        legend.set_bbox_to_anchor((0.5, (0.36 + note_cm) / height_cm), transform=fig.transFigure)
    footer = "\n".join([*note_lines, source])
    fig.text(0.01, 0.08 / height_cm, footer, ha="left", va="bottom", fontsize=6.5, color="#555555", linespacing=1.25)
    # The title, subtitle and key shrink the plot, so labels placed earlier may now collide.
    layouts = [LabelLayout.of(a) for a in fig.axes if LabelLayout.of(a) is not None]
    if layouts:
        fig.canvas.draw()
        for layout in layouts:
            layout.place()


LEGEND_COLUMNS = 3
LEGEND_CHARS = 100  # about the report width in key text


def legend_columns(handles) -> int:
    """As many columns as fit the report width (at most ``LEGEND_COLUMNS``): long labels get fewer."""
    widest = max((len(h.get_label()) for h in handles), default=0) + 6  # the symbol and the gap
    return max(1, min(len(handles), LEGEND_COLUMNS, LEGEND_CHARS // widest))


def legend_below(ax, handles) -> None:
    """The chart's key, under the plot (above the source line), so it never covers the subtitle. A figure
    of several charts gets one key: entries already there are kept, and a label is listed once."""
    fig = ax.figure
    earlier = [h for legend in fig.legends for h in legend.legend_handles]
    for legend in list(fig.legends):
        legend.remove()
    unique = list({h.get_label(): h for h in [*earlier, *handles]}.values())
    fig.legend(handles=unique, loc="lower center", ncols=legend_columns(unique), handlelength=1.6,
               columnspacing=1.4, borderaxespad=0)


def category_colors(platforms: pd.DataFrame | None) -> dict[str, str]:
    """Colour of each platform slug, by its category (none without ``platforms``)."""
    if platforms is None:
        return {}
    return {p: CATEGORY_COLORS[str(c)] for p, c in zip(platforms["platform"], platforms["category"])}


def category_names(platforms: pd.DataFrame | None, slugs) -> list[str]:
    """The categories of the platforms ``slugs`` that have a colour, in the colour table's order (for a key)."""
    if platforms is None:
        return []
    used = set(platforms.loc[platforms["platform"].isin(list(slugs)), "category"].astype(str))
    return [c for c in CATEGORY_COLORS if c in used]


def platform_names(platforms: pd.DataFrame | None) -> dict[str, str]:
    """Display name of each platform slug (none without ``platforms``)."""
    if platforms is None:
        return {}
    return dict(zip(platforms["platform"].astype(str), platforms["name"].astype(str)))


def target_axes(ax) -> Axes:
    """The Axes to draw on: the one given, else the current one (seaborn's convention)."""
    return ax if ax is not None else plt.gca()


def date_axis(ax, start, end, days_per_tick: int | None = None) -> None:
    """An x axis of days from ``start`` to ``end``, a tick every ``days_per_tick`` days (or automatic)."""
    ax.set_xlim(pd.Timestamp(start) - pd.Timedelta(hours=12), pd.Timestamp(end) + pd.Timedelta(hours=12))
    if days_per_tick:
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=days_per_tick))
    date_ticks(ax, maxticks=8, locator=ax.xaxis.get_major_locator() if days_per_tick else None)


class DateText(mpl.ticker.Formatter):
    """Tick labels in words: '6 Jan' on an axis of days or weeks (the first tick and each new year
    with the year: '6 Jan 2021'), 'Jan 2021' / 'Apr' on an axis of months, '2021' on one of years."""

    def __init__(self, locator):
        self.locator = locator

    def format_ticks(self, values) -> list[str]:
        days = [pd.Timestamp(mdates.num2date(v)).tz_localize(None) for v in values]
        if len(days) < 2:
            return [day_text(d) for d in days]
        step = min(b - a for a, b in zip(days, days[1:]))
        if step >= pd.Timedelta(days=360):
            return [f"{d.year}" for d in days]
        if step >= pd.Timedelta(days=28):
            return [f"{d:%b} {d.year}" if i == 0 or d.month == 1 else f"{d:%b}" for i, d in enumerate(days)]
        return [day_text(d, year=i == 0 or d.year != days[i - 1].year) for i, d in enumerate(days)]

    def __call__(self, value, pos=None) -> str:
        return day_text(mdates.num2date(value))


def date_ticks(ax, maxticks: int = 8, locator=None) -> None:
    """Readable date ticks on the x axis: one style per axis, never day numbers mixed with months."""
    locator = locator or mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(DateText(locator))


def log_ticks(axis) -> None:
    """A log axis labelled at 1, 2 and 5 of each power of ten, all in one style (20k, 50k, 1m)."""
    axis.set_major_locator(mpl.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(mpl.ticker.FuncFormatter(human_number))
    axis.set_minor_locator(mpl.ticker.LogLocator(base=10, subs="auto"))
    axis.set_minor_formatter(mpl.ticker.NullFormatter())


def human_number(value, _pos=None) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:g}"


# --- label placement -------------------------------------------------------------------------------

class LabelLayout:
    """The labels of one Axes, placed so that none overlaps another label or a marker.

    A chart gives a function that writes its labels and returns them; ``finish_figure`` calls
    ``place`` again once the title and key have fixed the plot's final size, so labels placed on the
    first layout never collide on the last. One layout per Axes; held weakly, so it goes with its Axes.
    """

    _layouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __init__(self, ax, write: Callable[[], list]):
        self.ax, self.write, self.texts = ax, write, []
        LabelLayout._layouts[ax] = self

    @classmethod
    def of(cls, ax) -> LabelLayout | None:
        """The layout registered for ``ax``, if any."""
        return cls._layouts.get(ax)

    def place(self) -> list:
        """Remove the labels written before and write them again on the current layout."""
        for old in self.texts:
            old.remove()
        self.texts = self.write()
        return self.texts


def place_labels(ax, items, offsets=(0.0,), fontsize=6.5, markers=()) -> list:
    """Write labels beside their points so that no label overlaps another label or a marker.

    ``items`` are (x, y, text, short, priority), placed in priority order (lowest first): each
    tries the vertical ``offsets`` (data units), then the same with its ``short`` text; a label
    that still finds no free place is left out (its marker stays, and the data is in the chart's
    CSV twin). ``markers`` are (x, y) points the labels must not cover. Returns the Text objects.
    """
    renderer = ax.figure.canvas.get_renderer()
    pad = 2.8 * ax.figure.dpi / 72  # a marker's radius (s=28 is about 5.3 pt across), in pixels
    placed = []
    for mx, my in markers:
        px, py = ax.transData.transform((mx, my))
        placed.append(mpl.transforms.Bbox([[px - pad, py - pad], [px + pad, py + pad]]))
    texts = []
    for x, y, text, short, _priority in sorted(items, key=lambda item: item[4]):
        done = False
        for candidate in dict.fromkeys([text, short]):
            for dy in offsets:
                artist = ax.text(x, y + dy, candidate, fontsize=fontsize, ha="left", va="center", color="#222222",
                                 clip_on=False)
                box = artist.get_window_extent(renderer).padded(1.5)  # a fixed margin, however long the label
                if not any(box.overlaps(other) for other in placed):
                    placed.append(box)
                    texts.append(artist)
                    done = True
                    break
                artist.remove()
            if done:
                break
    return texts


