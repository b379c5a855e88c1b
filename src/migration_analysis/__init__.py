"""migration-analysis: load, validate, analyse and chart a sourced dataset of platform migration waves.

Importing the package does not import matplotlib, seaborn, statsmodels, duckdb or pyspark; plotting functions and
the message-level activity functions load them on first use.
"""

# The one definition of the version: pyproject.toml reads it ([tool.hatch.version]), and so do
# `migration-analysis --version`, data/datapackage.json and the report.
__version__ = "0.2.0"

from typing import TYPE_CHECKING  # noqa: E402

from .analysis import (
    ban_durations,
    counterfactual_path,
    daily_series,
    days_between,
    event_window_change,
    lifecycle_steps,
    outage_spans,
    quiet_baselines,
    stock_points,
    surge_points,
    surge_rates,
    timeline_lanes,
    timeline_marks,
    weak_days,
)
from .analysis.overview import (
    events_per_day,
    facts_by_tier,
    find_disagreements,
    sources_by_publisher,
    table_summary,
    top_multipliers,
)
from .analysis.series import read_daily_series, read_google_trends, trends_series
from .analysis.waves import (
    compared_points,
    headline_profiles,
    wave_arrivals,
    wave_chart_window,
    wave_context,
    wave_fact_list,
    wave_facts,
    wave_records,
    wave_triggers,
    wave_window,
)
from .data import schema
from .data.load import (
    default_data_dir,
    load_account_bans,
    load_citations,
    load_context_events,
    load_events,
    load_platforms,
    load_publishers,
    load_store_removals,
    load_surge_rates,
    load_table,
    load_user_surges,
    load_wave_profiles,
    load_waves,
    table_names,
)
from .data.validate import DataValidationError, validate_files
from .formatting import actor_name, day_text, geography_words, period_text, show_table

if TYPE_CHECKING:  # what type checkers and IDEs see (`X as X` re-exports); at run time, loaded on first use (_LAZY)
    from .activity.measures import (
        activity_series as activity_series,
        cohort_retention as cohort_retention,
        daily_activity as daily_activity,
    )
    from .activity.synthetic import (
        synthetic_log as synthetic_log,
    )
    from .analysis.simulate import (
        simulated_event_series as simulated_event_series,
    )
    from .charts.durations import (
        plot_ban_durations as plot_ban_durations,
        plot_lifecycle as plot_lifecycle,
    )
    from .charts.events import (
        annotate_events as annotate_events,
        plot_series_with_events as plot_series_with_events,
    )
    from .charts.export import (
        save_figure as save_figure,
    )
    from .charts.figures import (
        FIGURES as FIGURES,
        draw_figure as draw_figure,
        draw_wave_timeline as draw_wave_timeline,
        key_moments as key_moments,
        load_all as load_all,
    )
    from .charts.style import (
        finish_figure as finish_figure,
        new_figure as new_figure,
        set_theme as set_theme,
    )
    from .charts.surges import (
        plot_stock_growth as plot_stock_growth,
        plot_surges as plot_surges,
    )
    from .charts.timeline import (
        plot_timeline as plot_timeline,
    )
    from .charts.waves import (
        plot_wave_arrivals as plot_wave_arrivals,
        plot_wave_atlas as plot_wave_atlas,
        plot_wave_timeline as plot_wave_timeline,
        plot_waves_compared as plot_waves_compared,
    )

# Loaded on first use, so that importing the package does not import matplotlib, seaborn, duckdb or pyspark.
_LAZY = {
    "annotate_events": "charts.events", "plot_series_with_events": "charts.events",
    "plot_timeline": "charts.timeline", "plot_surges": "charts.surges", "plot_stock_growth": "charts.surges",
    "plot_lifecycle": "charts.durations", "plot_ban_durations": "charts.durations",
    "set_theme": "charts.style", "new_figure": "charts.style", "finish_figure": "charts.style",
    "save_figure": "charts.export", "draw_figure": "charts.figures", "draw_wave_timeline": "charts.figures",
    "plot_wave_atlas": "charts.waves", "plot_waves_compared": "charts.waves", "plot_wave_timeline": "charts.waves",
    "plot_wave_arrivals": "charts.waves",
    "load_all": "charts.figures", "key_moments": "charts.figures", "FIGURES": "charts.figures",
    "daily_activity": "activity.measures", "cohort_retention": "activity.measures", "activity_series": "activity.measures",
    "synthetic_log": "activity.synthetic", "simulated_event_series": "analysis.simulate",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'migration_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))


__all__ = [
    "DataValidationError",
    "schema",
    "ban_durations",
    "events_per_day",
    "facts_by_tier",
    "find_disagreements",
    "sources_by_publisher",
    "table_summary",
    "top_multipliers",
    *sorted(_LAZY),
    "daily_series",
    "day_text",
    "period_text",
    "show_table",
    "event_window_change",
    "counterfactual_path",
    "read_daily_series",
    "read_google_trends",
    "surge_rates",
    "wave_window",
    "wave_context",
    "wave_chart_window",
    "wave_triggers",
    "wave_arrivals",
    "headline_profiles",
    "actor_name",
    "geography_words",
    "timeline_marks",
    "weak_days",
    "timeline_lanes",
    "surge_points",
    "stock_points",
    "quiet_baselines",
    "outage_spans",
    "lifecycle_steps",
    "days_between",
    "compared_points",
    "trends_series",
    "default_data_dir",
    "load_account_bans",
    "load_citations",
    "load_context_events",
    "load_events",
    "load_platforms",
    "load_publishers",
    "load_store_removals",
    "load_surge_rates",
    "load_table",
    "load_user_surges",
    "load_wave_profiles",
    "load_waves",
    "wave_fact_list",
    "wave_facts",
    "wave_records",
    "table_names",
    "validate_files",
]
