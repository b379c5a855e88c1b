"""What the report figures draw says no more than the data: no line joining figures of different days,
weak evidence marked and in the key, no wave drawn as a hairline, no marker without words."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import migration_analysis as ma
from migration_analysis.charts.figures import TIMELINE_SUBJECTS, export_all
from migration_analysis.charts.style import WEAK_LABEL
from migration_analysis.charts.waves import SHORT_WAVE_SHARE

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def key_labels(fig) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def rates(weak: list[bool]) -> pd.DataFrame:
    rows = [{"id": f"s{i}", "platform": "app", "metric": "downloads", "value": v, "period_start": pd.Timestamp(d),
             "period_end": pd.Timestamp(d), "date_precision": "day", "period_inferred": False, "geography": "worldwide",
             "reporter": "Firm", "claim_type": "third_party_estimate", "derived": False, "wave": None, "notes": None,
             "weakly_sourced": w}
            for i, (v, d, w) in enumerate(zip([10.0, 500.0], ["2021-01-06", "2021-01-09"], weak))]
    out = ma.surge_rates(pd.DataFrame(rows).drop(columns="weakly_sourced"))
    return out.assign(weakly_sourced=pd.array(weak, dtype="boolean"))


@pytest.mark.parametrize("weak", [[False, True], [False, False]])
def test_surge_points_are_not_joined_and_weak_ones_are_ringed(weak):
    fig, ax = plt.subplots()
    ma.plot_surges(rates(weak), ax=ax, start="2021-01-01", end="2021-01-31")
    # The only lines are full-width row guides (axhline, drawn in axes coordinates 0..1), never a bar from
    # one figure's value to another's.
    assert all(list(line.get_xdata()) == [0, 1] for line in ax.lines)
    rings = [c for c in ax.collections if c.get_sizes().size and c.get_sizes()[0] == 95]
    assert len(rings) == int(any(weak)) and (WEAK_LABEL in key_labels(fig)) == any(weak)
    if any(weak):
        assert [tuple(p) for p in rings[0].get_offsets()] == [(500.0, 0.0)]


def test_the_atlas_draws_no_hairline():
    fig, ax = plt.subplots()
    waves = ma.load_waves()
    ma.plot_wave_atlas(waves, ax=ax)
    left, right = ax.get_xlim()
    bars = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert bars and min(p.get_width() for p in bars) >= SHORT_WAVE_SHARE * (right - left)
    span = (waves["end"] - waves["start"]).dt.days + 1
    short = int((span < SHORT_WAVE_SHARE * (right - left)).sum())
    assert len(bars) + short == len(waves)  # every wave is a bar or a marker
    assert any(label.startswith("a window under") for label in key_labels(fig)) == (short > 0)


def test_every_marker_of_the_january_timeline_has_words_and_the_colours_a_key():
    fig, _ = ma.draw_figure("01_timeline_january_2021")
    ax = fig.axes[0]
    events, platforms = ma.load_events(), ma.load_platforms()
    lanes = ma.timeline_lanes(events, "2021-01-06", "2021-01-21")
    names = dict(zip(platforms["platform"], platforms["name"]))
    marks = ma.timeline_marks(lanes, names, omit_targets=TIMELINE_SUBJECTS)
    texts = {t.get_text() for t in ax.texts}
    labelled = marks[marks["label"] != ""]
    # Each labelled mark's words are on the chart (in full or compact); the others gave theirs to the next day.
    assert all(label_in(texts, m) for m in labelled.itertuples())
    assert (marks["label"] == "").sum() == 4  # Facebook, Instagram (6 Jan), Apple (8 Jan), AWS (9 Jan)
    used = set(platforms.loc[platforms["platform"].isin(marks["actor"]), "category"].astype(str))
    assert {c.replace("_", " ") for c in used} <= set(key_labels(fig))


def label_in(texts: set[str], mark) -> bool:
    return mark.label in texts or mark.compact in texts


def test_annotate_events_refuses_an_axis_of_values_and_says_when_it_marks_nothing():
    moments = pd.DataFrame({"date": pd.to_datetime(["2021-01-06"]), "label": ["Capitol attack"]})
    fig, ax = plt.subplots()
    ma.plot_surges(rates([False, False]), ax=ax, start="2021-01-01", end="2021-01-31")  # per-day values, log scale
    with pytest.raises(ValueError, match="time axis"):
        ma.annotate_events(ax, moments)
    fig, ax = plt.subplots()
    ax.plot(pd.date_range("2021-01-01", periods=10), range(10))
    ma.annotate_events(ax, moments)
    assert [line.get_xdata()[0] for line in ax.lines[1:]] == [matplotlib.dates.date2num(pd.Timestamp("2021-01-06"))]
    fig, ax = plt.subplots()
    ax.plot(pd.date_range("2022-01-01", periods=10), range(10))
    with pytest.warns(UserWarning, match="none of the 1 events falls between"):
        ma.annotate_events(ax, moments)
    assert len(ax.lines) == 1


@pytest.mark.parametrize("name", ["../x", "sub/x", "", "..", "/tmp/x"])
def test_save_figure_writes_only_inside_its_folder(tmp_path, name):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="must be a plain file name"):
        ma.save_figure(fig, name, tmp_path / "out")
    assert not (tmp_path / "x").exists() and not (tmp_path / "out").exists()


def test_interrupted_figures_leave_the_folder_as_it_was(tmp_path, monkeypatch):
    from migration_analysis.charts import export

    out = tmp_path / "figures"
    out.mkdir()
    (out / "01_timeline_january_2021.svg").write_text("the previous export", encoding="utf-8")
    real, calls = export.save_figure, []

    def fail_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C while the third figure is saved
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "save_figure", fail_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        export_all(out)
    assert [p.name for p in out.iterdir()] == ["01_timeline_january_2021.svg"]
    assert (out / "01_timeline_january_2021.svg").read_text(encoding="utf-8") == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures"]  # no staging folder left
