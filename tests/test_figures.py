"""Figure regression (pytest-mpl baselines; nbval never compares images) and reproducible export."""

import pandas as pd
import pytest

import migration_analysis as ma
from conftest import run_cli

FIGURE_NAMES = [f.name for f in ma.FIGURES]
BASELINES = "baseline"
COMPARE = dict(baseline_dir=BASELINES, tolerance=2, style="default", savefig_kwargs={"dpi": 100})


@pytest.fixture(scope="module")
def tables():
    return ma.load_all()


@pytest.mark.parametrize("name", FIGURE_NAMES)
@pytest.mark.mpl_image_compare(**COMPARE)
def test_report_figure_matches_baseline(name, tables):
    fig, plotted = ma.draw_figure(name, tables)
    assert len(plotted) > 0
    return fig


@pytest.mark.mpl_image_compare(filename="annotate_events.png", **COMPARE)
def test_annotate_events_on_any_time_axis():
    fig, ax = ma.new_figure(7)
    days = pd.date_range("2021-01-01", periods=21, freq="D")
    ax.plot(days, range(21))
    events = pd.DataFrame({"date": pd.to_datetime(["2021-01-06", "2021-01-07", "2021-01-20"]),
                           "label": ["Capitol attack", "Musk: 'Use Signal'", "Inauguration"]})
    returned = ma.annotate_events(ax, events)
    assert returned is ax
    assert len(ax.texts) == 3 and len(ax.lines) == 4  # the series and one line per event
    return fig


def test_plotting_functions_draw_on_the_given_axes_and_return_it(tables):
    fig, ax = ma.new_figure()
    assert ma.plot_surges(tables["surge_rates"], tables["platforms"], ax=ax, start="2021-01-06", end="2021-01-17") is ax
    assert ax.get_xscale() == "log"
    fig2, ax2 = ma.new_figure()
    assert ma.plot_timeline(tables["events"], tables["platforms"], ax=ax2, start="2021-01-06", end="2021-01-21") is ax2
    assert "Twitter" in [t.get_text() for t in ax2.get_yticklabels()]


def test_timeline_labels_do_not_overlap(tables):
    fig, plotted = ma.draw_figure("01_timeline_january_2021", tables)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_text().strip() and t.get_transform() == ax.transData]
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlapping = [(a.get_text(), b.get_text()) for i, a in enumerate(labels) for b in labels[i + 1:]
                   if a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer))]
    assert overlapping == []
    markers = len(plotted.groupby(["date", "actor"]))
    # Labels that cannot fit are left to their markers; most must still be there.
    assert len(boxes) >= 0.7 * markers, f"only {len(boxes)} labels for {markers} markers"


def test_two_exports_are_byte_identical(tmp_path, tables):
    for run in ("a", "b"):
        fig, plotted = ma.draw_figure("05_trump_ban_durations", tables)
        ma.save_figure(fig, "durations", tmp_path / run, data=plotted)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["durations.csv", "durations.pdf", "durations.png", "durations.svg"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert b"Software" not in (tmp_path / "a" / "durations.png").read_bytes()
    assert b"CreationDate" not in (tmp_path / "a" / "durations.pdf").read_bytes()
    assert b"<dc:date>" not in (tmp_path / "a" / "durations.svg").read_bytes()
    twin = pd.read_csv(tmp_path / "a" / "durations.csv")
    assert list(twin.columns[:3]) == ["platform", "target", "banned"]


def test_save_figure_rejects_unknown_formats(tmp_path):
    fig, ax = ma.new_figure()
    with pytest.raises(ValueError, match="unknown figure format"):
        ma.save_figure(fig, "x", tmp_path, formats=("png", "tiff"))


def test_figures_command_writes_the_report_set(tmp_path):
    result = run_cli("figures", "--out", str(tmp_path / "figs"), "--quiet")
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "figs").iterdir())
    assert len(FIGURE_NAMES) >= 6
    assert files == sorted(f"{n}.{ext}" for n in FIGURE_NAMES for ext in ("png", "svg", "pdf", "csv"))
    assert result.stdout.startswith(f"wrote {4 * len(FIGURE_NAMES)} files")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from migration_analysis.charts.figures import export_all

    out = tmp_path_factory.mktemp("figures")
    export_all(out)
    return out


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_exports_are_print_ready(exported, name):
    import numpy as np
    from PIL import Image

    pdf = (exported / f"{name}.pdf").read_bytes()
    assert b"/Type3" not in pdf and b"/FontFile2" in pdf, "the PDF must embed TrueType fonts, not Type 3"
    svg = (exported / f"{name}.svg").read_text(encoding="utf-8")
    assert "font-family: 'DejaVu Sans', 'Arial', 'Helvetica', 'Liberation Sans', sans-serif" in svg
    pixels = np.asarray(Image.open(exported / f"{name}.png").convert("L"))
    edges = [pixels[:4], pixels[-4:], pixels[:, :4], pixels[:, -4:]]
    assert all(edge.min() == 255 for edge in edges), "something touches the edge of the image"


def test_save_figure_keeps_a_meaningful_index_in_the_csv(tmp_path):
    fig, ax = ma.new_figure()
    series = pd.Series([1.0, 2.5], index=pd.DatetimeIndex(["2021-01-06", "2021-01-07"], name="date"), name="downloads")
    ma.save_figure(fig, "dated", tmp_path, formats=("png",), data=series.to_frame())
    assert (tmp_path / "dated.csv").read_text(encoding="utf-8") == "date,downloads\n2021-01-06,1.0\n2021-01-07,2.5\n"
    ma.save_figure(fig, "plain", tmp_path, formats=("png",), data=series.reset_index())
    assert (tmp_path / "plain.csv").read_text(encoding="utf-8").splitlines()[0] == "date,downloads"


def test_all_events_chart_places_day_events_only_and_stays_readable(tables):
    import matplotlib.pyplot as plt

    events = tables["events"]
    window = events[(events["date"] >= "2020-12-15") & (events["date"] <= "2021-02-15")]
    days = pd.date_range("2020-12-15", "2021-02-15", freq="D")
    series = pd.Series(range(len(days)), index=days, dtype=float)
    fig, ax = ma.new_figure(12)
    with pytest.warns(UserWarning, match="known only to the month or year"):
        ma.plot_series_with_events(series, window, ax=ax)
    lines = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    on_days = window.loc[window["date_precision"] == "day", "date"].nunique()
    assert len(lines) == on_days  # one line per event day, none on the 1st for month-only events
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert boxes and not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    plt.close(fig)
