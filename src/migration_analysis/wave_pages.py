"""One report page per wave, generated from the data: a new wave needs data rows and nothing else.

Each page holds the wave's row (window, triggers, origins, destinations, how well it is sourced), its
timeline (``draw_wave_timeline``), its profiles (``wave_profiles``: peak, baseline, multiple, gap),
every fact with its date, the tier of its best page and every citation, and what the data lacks.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .analysis.waves import wave_fact_list
from .formatting import day_text

PROFILE_COLUMNS = ("destination", "circumvention", "n_figures", "peak_id", "peak_reporter", "peak_per_day",
                   "days_to_peak", "baseline_id", "peak_multiple", "later_id", "later_ratio", "gap")


def wave_page_name(wave: str) -> str:
    """The file name of a wave's page in the report: ``wave_<slug>.html``."""
    return f"wave_{wave}.html"


def _table(frame: pd.DataFrame) -> str:
    """A plain HTML table; empty cells stay empty, numbers as the data holds them."""
    e = html.escape
    head = "".join(f"<th>{e(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<div class="table-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _cell(value) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, pd.Timestamp):
        return day_text(value)
    return html.escape(str(value))


def fact_rows(data: dict[str, pd.DataFrame], wave: str) -> pd.DataFrame:
    """The wave's facts (``wave_fact_list``) with every citation of each: publisher, tier and address."""
    facts = wave_fact_list(data, wave)
    citations = data["citations"]
    cited = citations[citations["fact_id"].isin(facts["id"])]
    links = {fact: "<br>".join(f'<a href="{html.escape(str(url))}">{html.escape(str(pub))}</a> (tier {tier})'
                               for url, pub, tier in zip(group["source_url"], group["publisher"], group["tier"]))
             for fact, group in cited.groupby("fact_id")}
    return pd.DataFrame({
        "id": [html.escape(str(i)) for i in facts["id"]],
        "date": [day_text(d) if p == "day" else (f"{d:%B %Y}" if p == "month" else f"{d:%Y}")
                 for d, p in zip(facts["date"], facts["precision"])],
        "what": [_cell(w) for w in facts["what"]],
        "best tier": [_cell(t) for t in facts["best_tier"]],
        "pages": [links.get(i, "") for i in facts["id"]],
    })


def wave_page_html(data: dict[str, pd.DataFrame], wave: str, image: str, subtitle: str, css: str) -> str:
    """A wave's page: ``image`` is the timeline's file name beside it and ``subtitle`` its finding (alt text)."""
    e = html.escape
    row = data["waves"].set_index("wave").loc[wave]
    profiles = data["wave_profiles"]
    profiles = profiles[profiles["wave"] == wave]
    shown = profiles[[c for c in PROFILE_COLUMNS if c in profiles]].map(_cell)
    gaps = "".join(f"<li><strong>{e(str(p.destination))}</strong>: {e(str(p.gap))}</li>"
                   for p in profiles.itertuples() if isinstance(p.gap, str) and p.gap)
    share = row["tier12_share"]
    figures, claims = int(row["n_surge_figures"]), int(row["n_company_claims"])
    sourcing = (f"{int(row['n_facts'])} facts, {figures} of them {'a surge figure' if figures == 1 else 'surge figures'} "
                f"({claims} {'company claim' if claims == 1 else 'company claims'}); "
                + (f"{share:.0%} have a best page in tier 1 or 2" if pd.notna(share) else "no tier known")
                + f"; {int(row['n_weakly_sourced'])} rest on tier-4 pages alone.")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(str(row["name"]))}: migration-analysis</title><style>{css}</style></head>
<body>
<p><a href="index.html">All waves and figures</a></p>
<h1>{e(str(row["name"]))}</h1>
<p>{e(str(row["description"]))}</p>
<p class="meta">Window: {day_text(row["start"])} to {day_text(row["end"])}. Triggers: {e(str(row["trigger_ids"]))}.
Origins: {e(str(row["origins"]) if pd.notna(row["origins"]) else "none named")}. Destinations:
{e(str(row["destinations"]))}. {e(sourcing)}</p>
<p class="meta">{e(str(row["notes"]) if pd.notna(row["notes"]) else "")}</p>
<h2>Day by day</h2>
<figure><img src="{e(image)}" alt="{e(str(row["name"]))}: {e(subtitle)}" loading="lazy">
<figcaption>{e(subtitle)}.</figcaption></figure>
<h2>Where users went: the profiles</h2>
<p>One row per destination: the peak arrival figure, its quiet baseline and multiple, how many days after the
first trigger it began, and the latest level of users against the earlier high. Company claims are claims.</p>
{_table(shown)}
<h2>What the data lacks</h2>
<ul>{gaps or "<li>Every destination has a peak, a baseline and a later level.</li>"}</ul>
<h2>Every fact, with its pages</h2>
<p>Dated events first, then the surge figures; each with the tier of its best page (1: the actor or a record,
2: wire services and national outlets, 3: other established outlets, 4: aggregators, mirrors, blogs, partisan
or state media) and every page that states it.</p>
{_table(fact_rows(data, wave))}
</body></html>
"""


def write_wave_pages(data: dict[str, pd.DataFrame], out_dir: Path, css: str) -> list[tuple[str, str, str]]:
    """Write every wave's page and its timeline (PNG and SVG) into ``out_dir``; returns (file, wave name,
    finding) per wave, in the order of ``waves``."""
    import matplotlib.pyplot as plt

    from .charts.export import save_figure
    from .charts.figures import draw_wave_timeline, subtitle_of

    written = []
    for wave, name in zip(data["waves"]["wave"], data["waves"]["name"]):
        fig, plotted = draw_wave_timeline(wave, data)
        subtitle = subtitle_of(fig)
        save_figure(fig, f"wave_{wave}", out_dir / "figures", formats=("png", "svg"), data=plotted)
        plt.close(fig)
        page = wave_page_name(wave)
        (out_dir / page).write_text(wave_page_html(data, wave, f"figures/wave_{wave}.png", subtitle, css),
                                    encoding="utf-8")
        written.append((page, str(name), subtitle))
    return written
