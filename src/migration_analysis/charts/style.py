"""House style and charts. Every chart takes data and ``ax=None`` and returns the Axes.

Nothing here shows or saves a figure (see ``export.save_figure``). Importing this module imports
matplotlib and seaborn, so the package loads it only when a plotting function is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from ..data.schema import ARRIVAL_METRICS
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
    "other": "#7F7F7F",
}
CONTEXT_COLOR = "#7F7F7F"
RETURN_ACTIONS = ("reinstated", "back_online", "service_started")
BAN_MARKER, REMOVAL_MARKER, RETURN_MARKER = "o", "s", "^"

# Backends that draw to files only: in a notebook, nothing they draw is ever displayed.
_FILE_ONLY_BACKENDS = ("agg", "cairo", "pdf", "pgf", "ps", "svg", "template")


def display_in_notebook() -> bool:
    """In a Jupyter kernel whose matplotlib backend draws to files only, display figures inline.

    ``MPLBACKEND=Agg`` (common in CI) reaches the kernels Jupyter starts, and under it no figure
    a cell draws is displayed. In a kernel on such a backend this switches to the inline backend,
    Jupyter's own default, so a notebook shows the same figures wherever it runs; anywhere else
    (scripts, the ``figures`` command, tests, a GUI backend) it changes nothing. Called when this
    module is first imported; returns whether it switched.
    """
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "kernel"):
        return False
    if mpl.get_backend().lower() not in _FILE_ONLY_BACKENDS:
        return False
    shell.run_line_magic("matplotlib", "inline")
    return True


display_in_notebook()


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
    """A figure at report size with the house style applied; returns (fig, ax)."""
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
    # About 0.165 cm a character at 8 pt; the subtitle starts where the plot does (~3.5 cm in).
    width_chars = width_chars or int((fig.get_figwidth() / CM - 4.0) / 0.165)
    fig.suptitle(title, x=0.01, ha="left", fontsize=10, fontweight="bold")
    ax = fig.axes[0]
    # y=1.0 fixes the subtitle above the plot; left to itself matplotlib re-measures every tick
    # label on each draw to position it, a third of the export time.
    wrapped = "\n".join(textwrap.wrap(subtitle, width_chars, break_on_hyphens=False))
    ax.set_title(wrapped, loc="left", fontsize=8, color="#333333", pad=6, y=1.0)
    note_lines = textwrap.wrap(f"Note: {note}", int(width_chars * 1.45)) if note else []
    note_cm = 0.28 * len(note_lines)
    strip_cm = (1.05 if fig.legends else 0.5) + note_cm
    # w_pad: a margin at the edges, as text is a little wider at print resolution than on screen.
    fig.get_layout_engine().set(rect=(0, strip_cm / height_cm, 1, 1 - strip_cm / height_cm), w_pad=0.12)
    for legend in fig.legends:
        legend.set_bbox_to_anchor((0.5, (0.36 + note_cm) / height_cm), transform=fig.transFigure)
    footer = "\n".join([*note_lines, source])
    fig.text(0.01, 0.08 / height_cm, footer, ha="left", va="bottom", fontsize=6.5, color="#555555", linespacing=1.25)
    # The title, subtitle and key shrink the plot, so labels placed earlier may now collide.
    labelled = [a for a in fig.axes if hasattr(a, "_ma_labels") or hasattr(a, "_ma_relabel")]
    if labelled:
        fig.canvas.draw()
        for a in labelled:
            if hasattr(a, "_ma_relabel"):  # a chart with its own label placement
                a._ma_relabel()
                continue
            _, items, offsets, fontsize, markers = a._ma_labels
            _place_labels(a, items, offsets, fontsize, markers)


def _legend(ax, handles) -> None:
    """The chart's key, under the plot (above the source line), so it never covers the subtitle."""
    ax.figure.legend(handles=handles, loc="lower center", ncols=len(handles), handlelength=1.6,
                     columnspacing=1.4, borderaxespad=0)


def category_colors(platforms: pd.DataFrame) -> dict[str, str]:
    """Colour of each platform slug, by its category."""
    return {p: CATEGORY_COLORS[str(c)] for p, c in zip(platforms["platform"], platforms["category"])}


def _names(platforms: pd.DataFrame | None) -> dict[str, str]:
    if platforms is None:
        return {}
    return dict(zip(platforms["platform"].astype(str), platforms["name"].astype(str)))


def _ax(ax):
    if ax is None:
        _, ax = new_figure()
    return ax


def _date_axis(ax, start, end, days_per_tick: int | None = None) -> None:
    ax.set_xlim(pd.Timestamp(start) - pd.Timedelta(hours=12), pd.Timestamp(end) + pd.Timedelta(hours=12))
    if days_per_tick:
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=days_per_tick))
    date_ticks(ax, maxticks=8, locator=ax.xaxis.get_major_locator() if days_per_tick else None)


class _DateText(mpl.ticker.Formatter):
    """Tick labels in words: '6 Jan' on an axis of days or weeks (the first tick and each new year
    with the year: '6 Jan 2021'), 'Jan 2021' / 'Apr' on an axis of months, '2021' on one of years."""

    def __init__(self, locator):
        self.locator = locator

    def format_ticks(self, values):
        days = [pd.Timestamp(mdates.num2date(v)).tz_localize(None) for v in values]
        if len(days) < 2:
            return [day_text(d) for d in days]
        step = min(b - a for a, b in zip(days, days[1:]))
        if step >= pd.Timedelta(days=360):
            return [f"{d.year}" for d in days]
        if step >= pd.Timedelta(days=28):
            return [f"{d:%b} {d.year}" if i == 0 or d.month == 1 else f"{d:%b}" for i, d in enumerate(days)]
        return [day_text(d, year=i == 0 or d.year != days[i - 1].year) for i, d in enumerate(days)]

    def __call__(self, value, pos=None):
        return day_text(mdates.num2date(value))


def date_ticks(ax, maxticks: int = 8, locator=None) -> None:
    """Readable date ticks on the x axis: one style per axis, never day numbers mixed with months."""
    locator = locator or mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_DateText(locator))


# --- label placement -------------------------------------------------------------------------------

def _place_labels(ax, items, offsets=(0.0,), fontsize=6.5, markers=()):
    """Write labels beside their points so that no label overlaps another label or a marker.

    ``items`` are (x, y, text, short, priority), placed in priority order (lowest first): each
    tries the vertical ``offsets`` (data units), then the same with its ``short`` text; a label
    that still finds no free place is left out (its marker stays, and the data is in the chart's
    CSV twin). ``markers`` are (x, y) points the labels must not cover. Returns the Text objects.
    """
    for old in getattr(ax, "_ma_labels", ([],))[0]:
        old.remove()
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
    # finish_figure re-places them once the layout is final
    ax._ma_labels = (texts, items, offsets, fontsize, markers)
    return texts


# --- annotate_events -------------------------------------------------------------------------------

def annotate_events(ax, events: pd.DataFrame, label: str = "label", color: str = CONTEXT_COLOR,
                    fontsize: float = 6.5, precision: str = "day") -> Axes:
    """Mark each event day on a time-series Axes: a dashed vertical line and a label near the top.

    ``events`` needs a ``date`` column and a ``label`` column (or the column named by ``label``).
    With a ``date_precision`` column, only day-precision events are drawn unless
    ``precision="any"`` (a warning names those left out). Several events on one day share a line,
    labelled "first; second" (three or more: "first (+N more)"). Labels are written beside their lines and moved down a row
    when they would overlap another; a label that still cannot fit is left out (its line stays),
    so a chart of many events stays readable. Leave some headroom above the data. Returns the Axes.
    """
    from ..analysis.rates import day_events

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


# --- plot_timeline ---------------------------------------------------------------------------------

# Which action a lane's label names when one actor did several things on one day.
_SEVERITY = ("permanently_suspended", "banned", "indefinitely_suspended", "removed", "cut_off", "suspended",
             "locked", "restricted", "ban_announced", "warned", "reinstatement_announced", "reinstated", "back_online",
             "service_started")
_COMPACT_ACTIONS = {"permanently_suspended": "banned", "indefinitely_suspended": "suspended"}
_SHORT_ACTIONS = {
    "locked": "locked", "suspended": "suspended", "permanently_suspended": "banned for good",
    "indefinitely_suspended": "suspended indefinitely", "restricted": "restricted", "removed": "removed",
    "banned": "banned", "ban_announced": "ban announced", "reinstatement_announced": "return announced",
    "reinstated": "reinstated",
    "warned": "warned", "cut_off": "cut off", "back_online": "back online", "service_started": "took on",
}


def timeline_lanes(events: pd.DataFrame, start="2021-01-06", end="2021-01-21") -> pd.DataFrame:
    """Day-precision bans and store actions in the window, one row per (day, actor, platform, action).

    ``facts`` counts the events in the row (several accounts banned the same day by one platform);
    ``sources`` counts the cited pages behind them.
    """
    window = events[(events["date"] >= pd.Timestamp(start)) & (events["date"] <= pd.Timestamp(end))
                    & (events["date_precision"] == "day") & (events["kind"] != "context")]
    grouped = (window.groupby(["date", "actor", "platform", "kind", "action"], observed=True, dropna=False)
               .agg(facts=("event_id", "size"), sources=("n_sources", "sum"),
                    event_ids=("event_id", lambda s: ",".join(sorted(s))), target=("target", "first"))
               .reset_index())
    return grouped


def _short_target(target, omit: tuple[str, ...]) -> str:
    text = "" if pd.isna(target) else str(target)
    if not text or any(word in text.lower() for word in omit):
        return ""
    return text if len(text) <= 30 else ""  # a long target is left to the CSV twin, never cut mid-word


def plot_timeline(events: pd.DataFrame, platforms: pd.DataFrame | None = None, ax=None,
                  start="2021-01-06", end="2021-01-21", context: pd.DataFrame | None = None,
                  omit_targets: tuple[str, ...] = ("trump", "parler"), days_per_tick: int = 2) -> Axes:
    """The wave day by day: one lane per actor, a marker per action, labels that do not overlap.

    Bans are circles, app-store and infrastructure actions squares, returns open triangles;
    colours follow the actor's platform category. Labels name the target unless it contains one of
    ``omit_targets`` (the chart's subject, said in its title). ``context`` (a frame with ``date``
    and ``label``) is drawn with ``annotate_events`` above the lanes. ``days_per_tick`` spaces the
    date ticks (longer windows need more days a tick). Returns the Axes.
    """
    ax = _ax(ax)
    lanes = timeline_lanes(events, start, end)
    colors = category_colors(platforms) if platforms is not None else {}
    names = _names(platforms)
    order = (lanes.assign(store=lanes["kind"] == "store_removal").sort_values(["store", "date"])
             .drop_duplicates("actor")["actor"].tolist())
    y_of = {actor: len(order) - i for i, actor in enumerate(order)}
    _date_axis(ax, start, end, days_per_tick=days_per_tick)
    # Room on the right for the labels of the last days, so they stay inside the plot.
    ax.set_xlim(ax.get_xlim()[0], mdates.date2num(pd.Timestamp(end)) + 2.2)
    headroom = 3.4 if context is not None else 0.9
    ax.set_ylim(0.3, len(order) + headroom)
    ax.set_yticks([y_of[a] for a in order], [names.get(a, a) for a in order])
    ax.grid(axis="y", visible=False)
    for y in y_of.values():
        ax.axhline(y, color="#DDDDDD", linewidth=0.6, zorder=0)
    labels, points = [], []
    for (day, actor), group in lanes.groupby(["date", "actor"], sort=True):
        y = y_of[actor]
        is_return = group["action"].isin(RETURN_ACTIONS).all()
        marker = RETURN_MARKER if is_return else (REMOVAL_MARKER if (group["kind"] == "store_removal").any() else BAN_MARKER)
        color = colors.get(actor, CONTEXT_COLOR)
        ax.scatter([day], [y], marker=marker, s=28, zorder=3, edgecolor=color, linewidth=1.1,
                   facecolor="white" if is_return else color)
        main = min(group.itertuples(), key=lambda r: _SEVERITY.index(r.action) if r.action in _SEVERITY else 99)
        target = _short_target(names.get(main.platform, main.target) if main.kind == "store_removal" else main.target,
                               omit_targets)
        short = _SHORT_ACTIONS.get(main.action, main.action)
        more = int(group["facts"].sum()) - 1
        text = f"{short} {target}".strip() + (f" (+{more})" if more else "")
        # The fallback when the full label has no room: the action in a word or two.
        short = _COMPACT_ACTIONS.get(main.action, short) + (f" (+{more})" if more else "")
        rank = _SEVERITY.index(main.action) if main.action in _SEVERITY else len(_SEVERITY)
        # The most severe actions first; among equals, the one more pages report.
        # The gap between a marker and its label grows with the window (0.25 day on the 16-day chart).
        labels.append((mdates.date2num(day) + 0.125 * days_per_tick, y, text, short,
                       (rank, -int(group["sources"].sum()))))
        points.append((mdates.date2num(day), y))
    ax.figure.canvas.draw()  # fixes the layout so label boxes can be measured
    # Labels stay on their lane (never between two); one that cannot fit is left to its marker.
    _place_labels(ax, labels, offsets=(0.0,), markers=points)
    if context is not None:
        annotate_events(ax, context)
    handles = [
        mpl.lines.Line2D([], [], marker=BAN_MARKER, linestyle="", color="#444444", label="account action"),
        mpl.lines.Line2D([], [], marker=REMOVAL_MARKER, linestyle="", color="#444444", label="app store / provider action"),
        mpl.lines.Line2D([], [], marker=RETURN_MARKER, linestyle="", markerfacecolor="white", color="#444444",
                         label="return / new provider"),
    ]
    if lanes["facts"].groupby([lanes["date"], lanes["actor"]]).sum().gt(1).any():
        handles.append(mpl.lines.Line2D([], [], linestyle="", label="(+n): n more that day"))
    _legend(ax, handles)
    return ax


# --- plot_surges -----------------------------------------------------------------------------------

SURGE_METRICS = ARRIVAL_METRICS  # downloads and sign-ups, per period or per day


def surge_points(rates: pd.DataFrame, value: str = "per_day", start="2021-01-06", end="2021-01-17",
                 geography: str | tuple[str, ...] = "worldwide", metrics: tuple[str, ...] = SURGE_METRICS) -> pd.DataFrame:
    """The figures a surge chart draws: rows with ``value`` whose period starts in the window, in
    the given geography (one, or a tuple such as ``("worldwide", "unstated")``)."""
    places = (geography,) if isinstance(geography, str) else tuple(geography)
    rows = rates[(rates["period_start"] >= pd.Timestamp(start)) & (rates["period_start"] <= pd.Timestamp(end))
                 & rates["geography"].isin(places) & rates["metric"].isin(metrics) & rates[value].notna()]
    quiet = [c for c in rows.columns if c.startswith("quiet_")]  # from analysis.quiet_baselines
    return rows[["id", "platform", "metric", "reporter", "claim_type", "derived", "geography", "period_start",
                 "period_end", "period_inferred", "value", "per_day", "baseline_id", "baseline_value", "multiplier",
                 *quiet, "weakly_sourced", "source_url"]].reset_index(drop=True)


def plot_surges(rates: pd.DataFrame, platforms: pd.DataFrame | None = None, ax=None, value: str = "per_day",
                start="2021-01-06", end="2021-01-17", geography: str = "worldwide",
                metrics: tuple[str, ...] = SURGE_METRICS) -> Axes:
    """Per-day rates (or multipliers) of downloads and sign-ups by platform on a log scale.

    Takes the figures whose period starts between ``start`` and ``end``. Company claims are filled
    circles, third-party and press estimates open diamonds; a grey bar spans the range of the
    figures reported for a platform, so disagreement (and different periods) show as its length.
    Returns the Axes.
    """
    points = surge_points(rates, value, start, end, geography, metrics)
    if points.empty:
        raise ValueError(f"no {', '.join(metrics)} figures with a {value} for periods starting {start} to {end} "
                         f"in {geography}; pass start=, end= or geography= to match your data")
    ax = _ax(ax)
    names, colors = _names(platforms), category_colors(platforms) if platforms is not None else {}
    order = (points.groupby("platform", observed=True)[value].max().sort_values().index.tolist())
    y_of = {p: i for i, p in enumerate(order)}
    for platform, group in points.groupby("platform", observed=True):
        y = y_of[platform]
        low, high = group[value].min(), group[value].max()
        ax.plot([low, high], [y, y], color="#BBBBBB", linewidth=5, solid_capstyle="round", zorder=1)
        color = colors.get(platform, CONTEXT_COLOR)
        derived = group[group["derived"].fillna(False).astype(bool)]
        stated = group.drop(derived.index)
        claims = stated[stated["claim_type"] == "company_claim"]
        others = stated[stated["claim_type"] != "company_claim"]
        ax.scatter(claims[value], [y] * len(claims), marker="o", s=22, color=color, zorder=3)
        ax.scatter(others[value], [y] * len(others), marker="D", s=18, facecolor="white", edgecolor=color,
                   linewidth=1.1, zorder=3)
        ax.scatter(derived[value], [y] * len(derived), marker="x", s=22, color=color, linewidth=1.1, zorder=3)
    ax.set_xscale("log")
    ax.set_yticks(range(len(order)), [names.get(p, p) for p in order])
    ax.set_ylim(-0.7, len(order) - 0.3)
    ax.grid(axis="y", visible=False)
    if value.endswith("multiplier"):
        ax.axvline(1, color="#555555", linewidth=0.8)
        ax.set_xlabel("multiplier: figure ÷ its baseline (log scale; 1 = no change)")
    else:
        ax.set_xlabel("per day (log scale)")
    log_ticks(ax.xaxis)
    handles = [
        mpl.lines.Line2D([], [], marker="o", linestyle="", color="#444444", label="company claim"),
        mpl.lines.Line2D([], [], marker="D", linestyle="", markerfacecolor="white", color="#444444",
                         label="analytics firm or press estimate"),
        mpl.lines.Line2D([], [], color="#BBBBBB", linewidth=5, label="range of reported figures"),
    ]
    if points["derived"].fillna(False).astype(bool).any():
        handles.insert(2, mpl.lines.Line2D([], [], marker="x", linestyle="", color="#444444",
                                           label="our computation"))
    _legend(ax, handles)
    return ax


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


# --- plot_lifecycle --------------------------------------------------------------------------------

_OFF_ACTIONS = ("removed", "suspended", "cut_off")


def lifecycle_steps(store_removals: pd.DataFrame, app: str = "parler") -> pd.DataFrame:
    """One row per (day, provider, action) for an app, day precision, with the cited pages counted."""
    rows = store_removals[(store_removals["app"] == app) & (store_removals["date_precision"] == "day")]
    return (rows.groupby(["date", "provider", "action"], observed=True)
            .agg(sources=("n_sources", "sum"), disputed=("disputed", "any"), ids=("id", lambda s: ",".join(sorted(s))))
            .reset_index()
            .sort_values(["date", "provider"], kind="mergesort").reset_index(drop=True))


def plot_lifecycle(store_removals: pd.DataFrame, platforms: pd.DataFrame | None = None, app: str = "parler",
                   ax=None, end=None) -> Axes:
    """An app's path through removals and returns, one lane per provider.

    A red bar runs from the first day a provider dropped the app to the day it took it back (or to
    ``end``); the markers are the dated actions. Returns the Axes.
    """
    ax = _ax(ax)
    steps = lifecycle_steps(store_removals, app)
    names, colors = _names(platforms), category_colors(platforms) if platforms is not None else {}
    providers = steps.drop_duplicates("provider")["provider"].tolist()
    y_of = {p: len(providers) - i for i, p in enumerate(providers)}
    end = pd.Timestamp(end) if end is not None else steps["date"].max() + pd.Timedelta(days=20)
    for provider in providers:
        own = steps[steps["provider"] == provider]
        y = y_of[provider]
        off = own[own["action"].isin(_OFF_ACTIONS)]
        back = own[own["action"].isin(("reinstated", "back_online"))]
        if len(off):
            gone = off["date"].min()
            returned = back[back["date"] > gone]["date"].min() if len(back) else pd.NaT
            stop = returned if pd.notna(returned) else end
            ax.barh(y, (stop - gone).days, left=gone, height=0.35, color="#D55E00", alpha=0.25, zorder=1)
        color = colors.get(provider, CONTEXT_COLOR)
        for row in own.itertuples():
            is_return = row.action in RETURN_ACTIONS
            ax.scatter([row.date], [y], marker=RETURN_MARKER if is_return else REMOVAL_MARKER, s=26, zorder=3,
                       facecolor="white" if is_return else color, edgecolor=color, linewidth=1.1)
    ax.set_yticks([y_of[p] for p in providers], [names.get(p, p) for p in providers])
    ax.set_ylim(0.5, len(providers) + 0.7)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(steps["date"].min() - pd.Timedelta(days=15), end)
    date_ticks(ax, maxticks=10)
    # One line of text per provider, above its lane: every dated step in order.
    for provider in providers:
        own = steps[steps["provider"] == provider]
        words = [f"{_SHORT_ACTIONS.get(r.action, r.action)} {day_text(r.date)}" for r in own.itertuples()]
        ax.text(own["date"].min(), y_of[provider] + 0.33, "  →  ".join(dict.fromkeys(words)), fontsize=6.5,
                va="center", ha="left", color="#222222")
    handles = [
        mpl.lines.Line2D([], [], marker=REMOVAL_MARKER, linestyle="", color="#444444", label="warned / removed / cut off"),
        mpl.lines.Line2D([], [], marker=RETURN_MARKER, linestyle="", markerfacecolor="white", color="#444444",
                         label="reinstated / new provider / back online"),
        mpl.patches.Patch(color="#D55E00", alpha=0.25, label="unavailable from this provider"),
    ]
    _legend(ax, handles)
    return ax


# --- plot_ban_durations ----------------------------------------------------------------------------

def plot_ban_durations(durations: pd.DataFrame, platforms: pd.DataFrame | None = None, ax=None) -> Axes:
    """How long each ban lasted: a bar from ban to reinstatement, hatched while still in force.

    ``durations`` is the output of ``analysis.ban_durations``. Where sources give different
    reinstatement days, a thin whisker runs to the latest. Returns the Axes.
    """
    ax = _ax(ax)
    names, colors = _names(platforms), category_colors(platforms) if platforms is not None else {}
    rows = durations.reset_index(drop=True)
    for i, row in rows.iterrows():
        y = len(rows) - i
        color = colors.get(row.platform, CONTEXT_COLOR)
        ax.barh(y, row.days, left=row.banned, height=0.55, color=color, alpha=0.35 if row.in_force else 0.85,
                hatch="////" if row.in_force else None, edgecolor=color, linewidth=0.8)
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
    _legend(ax, handles)
    return ax


# --- plot_series_with_events -----------------------------------------------------------------------

def plot_series_with_events(series: pd.Series, events: pd.DataFrame | None = None, ax=None,
                            color: str = "#009E73", log: bool = False, label: str | None = None,
                            precision: str = "day", *, counterfactual: pd.DataFrame | None = None) -> Axes:
    """A daily series as a line with points, with ``annotate_events`` markers. Returns the Axes.

    Only day-precision events are drawn unless ``precision="any"`` (see ``annotate_events``).
    With ``counterfactual`` (from ``ma.counterfactual_path``), what the model says the series would
    have done without the event is drawn as a dashed grey line with its band, and the legend says so.

    Missing days break the line instead of being bridged, so a gap in the data stays visible.
    """
    ax = _ax(ax)
    series = series.reindex(pd.date_range(series.index.min(), series.index.max(), freq="D"))
    if counterfactual is not None:
        ax.fill_between(counterfactual.index, counterfactual["cf_low"].to_numpy(dtype=float),
                        counterfactual["cf_high"].to_numpy(dtype=float), color="#BBBBBB", alpha=0.5, linewidth=0,
                        zorder=1, label=f"{counterfactual.attrs.get('level', 0.95):.0%} band")
        ax.plot(counterfactual.index, counterfactual["counterfactual"].to_numpy(dtype=float), color="#555555",
                linestyle="--", linewidth=1.1, zorder=2, label="without the event (model)")
    ax.plot(series.index, series.to_numpy(dtype=float), marker="o", markersize=3.5, linewidth=1.4, color=color,
            label=label or series.name)
    if counterfactual is not None:
        _legend(ax, ax.get_legend_handles_labels()[0][::-1])
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


def plot_stock_growth(rates: pd.DataFrame, platform: str, metric: str = "monthly_active_users", ax=None,
                      color: str = "#009E73") -> Axes:
    """Reported levels of a stock metric over time (e.g. Telegram's monthly active users).

    Every reported figure is a point (company claims filled); a line joins the latest figure of
    each date. Returns the Axes.
    """
    ax = _ax(ax)
    rows = rates[(rates["platform"] == platform) & (rates["metric"] == metric)].sort_values("period_start")
    claims = rows["claim_type"] == "company_claim"
    ax.scatter(rows.loc[claims, "period_start"], rows.loc[claims, "value"], color=color, s=20, zorder=3)
    ax.scatter(rows.loc[~claims, "period_start"], rows.loc[~claims, "value"], facecolor="white", edgecolor=color,
               marker="D", s=18, zorder=3)
    line = rows.groupby("period_start")["value"].max()
    ax.plot(line.index, line.to_numpy(dtype=float), color=color, linewidth=1, alpha=0.6)
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(human_number))
    ax.set_ylim(bottom=0)
    date_ticks(ax, maxticks=10)
    return ax
