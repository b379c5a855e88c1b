"""One release, one version: the package, pyproject's version source, CITATION.cff and the CHANGELOG agree."""

import datetime as dt
import re
import tomllib

import pytest
import yaml

import migration_analysis as ma
from conftest import ROOT

CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _pyproject_version() -> str:
    """The version pyproject.toml builds with: static, or read from the file [tool.hatch.version] names."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    if "version" in pyproject["project"]:
        return pyproject["project"]["version"]
    source = (ROOT / pyproject["tool"]["hatch"]["version"]["path"]).read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"$', source, re.M).group(1)


def test_citation_version_is_the_package_and_pyproject_version():
    assert str(CFF["version"]) == ma.__version__ == _pyproject_version()
    assert str(CFF["preferred-citation"]["version"]) == ma.__version__


def test_citation_is_a_complete_dated_release():
    released = CFF["date-released"]
    assert isinstance(released, dt.date) and CFF["preferred-citation"]["date-released"] == released
    assert CFF["authors"] and all(a.get("name") or a.get("family-names") for a in CFF["authors"])
    assert CFF["cff-version"] == "1.2.0" and CFF["license"] == "CC-BY-4.0"
    assert CFF["preferred-citation"]["title"] == CFF["title"]
    # The dataset and the library are one release; say so where a citation manager looks.
    notes = " ".join(CFF["preferred-citation"]["notes"].split())
    assert "Data and code are released together" in notes
    # It describes the dataset as it is: the waves from the first wave's start to the last one's end, not
    # January 2021 alone.
    import migration_analysis as ma

    waves = ma.load_waves()
    years = f"{waves['start'].min().year}–{waves['end'].max().year}"
    assert years == "2018–2026"
    assert years in CFF["title"] and years in CFF["abstract"]


def test_changelog_dates_the_cited_release_as_citation_cff_does():
    """Once CHANGELOG.md has the release heading, its date is CITATION.cff's date-released."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    heading = re.search(rf"^## \[{re.escape(ma.__version__)}\] - (\S+)$", text, re.M)
    if heading is None:
        pytest.skip(f"CHANGELOG.md has no [{ma.__version__}] section yet")
    assert heading.group(1) == CFF["date-released"].isoformat()
