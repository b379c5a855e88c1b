"""migration-analysis: load, validate, analyse and chart a sourced dataset of platform migration waves.

Importing the package does not import matplotlib, seaborn, statsmodels, duckdb or pyspark; plotting functions and
the message-level activity functions load them on first use.
"""

# The one definition of the version: pyproject.toml reads it ([tool.hatch.version]), and so do
# `migration-analysis --version`, data/datapackage.json and the report.
__version__ = "0.1.0"

from typing import TYPE_CHECKING  # noqa: E402

from .analysis import ban_durations, daily_series, surge_rates
from .change import counterfactual_path, event_window_change
from .formatting import day_text, period_text, show_table
from .load import (
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
from .overview import (
    events_per_day,
    facts_by_tier,
    find_disagreements,
    sources_by_publisher,
    table_summary,
    top_multipliers,
)
from .series import read_daily_series, read_google_trends, trends_series
from .validate import DataValidationError, validate_files
from .waves import wave_fact_list, wave_facts, wave_records

if TYPE_CHECKING:  # what type checkers and IDEs see (`X as X` re-exports); at run time, loaded on first use (_LAZY)
    from .activity import (
        activity_series as activity_series,
        cohort_retention as cohort_retention,
        daily_activity as daily_activity,
    )
    from .export import (
        save_figure as save_figure,
    )
    from .figures import (
        FIGURES as FIGURES,
        draw_figure as draw_figure,
        draw_wave_timeline as draw_wave_timeline,
        key_moments as key_moments,
        load_all as load_all,
    )
    from .plotting import (
        annotate_events as annotate_events,
        finish_figure as finish_figure,
        new_figure as new_figure,
        plot_ban_durations as plot_ban_durations,
        plot_lifecycle as plot_lifecycle,
        plot_series_with_events as plot_series_with_events,
        plot_stock_growth as plot_stock_growth,
        plot_surges as plot_surges,
        plot_timeline as plot_timeline,
        set_theme as set_theme,
    )
    from .synthetic import (
        simulated_event_series as simulated_event_series,
        synthetic_log as synthetic_log,
    )
    from .wave_charts import (
        plot_wave_atlas as plot_wave_atlas,
        plot_wave_timeline as plot_wave_timeline,
        plot_waves_compared as plot_waves_compared,
    )

# Loaded on first use, so that importing the package does not import matplotlib, seaborn, duckdb or pyspark.
_LAZY = {
    "annotate_events": "plotting", "plot_timeline": "plotting", "plot_surges": "plotting",
    "plot_lifecycle": "plotting", "plot_ban_durations": "plotting", "plot_series_with_events": "plotting",
    "plot_stock_growth": "plotting", "set_theme": "plotting", "new_figure": "plotting", "finish_figure": "plotting",
    "save_figure": "export", "draw_figure": "figures", "draw_wave_timeline": "figures",
    "plot_wave_atlas": "wave_charts", "plot_waves_compared": "wave_charts", "plot_wave_timeline": "wave_charts",
    "load_all": "figures", "key_moments": "figures", "FIGURES": "figures",
    "daily_activity": "activity", "cohort_retention": "activity", "activity_series": "activity",
    "synthetic_log": "synthetic", "simulated_event_series": "synthetic",
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
