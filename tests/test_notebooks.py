"""Notebook conventions that nbval cannot see (strict nbval silently skips unexecuted cells)."""

import ast
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def python_source(cell) -> str:
    """A code cell's Python, without IPython's line magics (the imports cell's %matplotlib inline)."""
    return "".join(line for line in cell["source"] if not line.startswith("%")) if isinstance(cell["source"], list) \
        else "\n".join(line for line in cell["source"].splitlines() if not line.startswith("%"))


def code_cells(path):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def test_the_numbered_notebooks_are_all_there():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{n:02d}" for n in range(1, 11)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_was_executed_in_order(path):
    counts = [c.get("execution_count") for c in code_cells(path) if "".join(c["source"]).strip()]
    assert None not in counts, f"{path.name} has unexecuted code cells; run it top to bottom and commit the outputs"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name} was not executed top to bottom in one run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_conventions(path):
    book = json.loads(path.read_text(encoding="utf-8"))
    first = book["cells"][0]
    assert first["cell_type"] == "markdown"
    text = "".join(first["source"])
    assert text.startswith("# ") and "**Question.**" in text and "**Data.**" in text and "**Caveats.**" in text
    assert book["metadata"]["kernelspec"]["name"] == "python3"
    cells = code_cells(path)
    importing = [i for i, c in enumerate(cells)
                 if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(ast.parse(python_source(c))))]
    assert importing == [0], f"{path.name}: imports belong in the single first code cell"
    assert "import migration_analysis as ma" in "".join(cells[0]["source"])
    for cell in cells:
        tree = ast.parse(python_source(cell))
        defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda, ast.AsyncFunctionDef))]
        assert not defined, f"{path.name}: functions, lambdas and classes belong in the library"
        assert "execution" not in cell.get("metadata", {}), f"{path.name}: timings were recorded"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}: a cell raised {output.get('ename')}"
            assert output.get("name") != "stderr", f"{path.name}: a cell wrote to stderr: {output.get('text', '')[:200]}"


# Calls that write files. A notebook shows; exporting is the `figures` and `report` commands' job.
WRITERS = {"save_figure", "savefig", "mkdir", "write_text", "write_bytes", "to_parquet", "to_excel", "open"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_write_no_files(path):
    for cell in code_cells(path):
        for node in ast.walk(ast.parse(python_source(cell))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            # to_csv() with no path returns text; with a path it writes a file.
            writes = name in WRITERS or (name == "to_csv" and (node.args or any(k.arg == "path_or_buf" for k in node.keywords)))
            assert not writes, f"{path.name}: a cell calls {name}(), which writes a file"


def _png_sizes(book) -> list[tuple[int, int, tuple[int, int]]]:
    """(cell, output, (width, height)) of every PNG a notebook displays, read from the PNG header."""
    import base64
    import struct

    sizes = []
    for i, cell in enumerate(c for c in book["cells"] if c["cell_type"] == "code"):
        for j, output in enumerate(cell.get("outputs", [])):
            png = output.get("data", {}).get("image/png")
            if png:
                header = base64.b64decode("".join(png))[:24]
                sizes.append((i, j, struct.unpack(">II", header[16:24])))
    return sizes


def test_figures_display_under_a_file_only_backend(monkeypatch):
    """MPLBACKEND=Agg (common in CI) reaches the kernel; the library still displays every figure, at the same size."""
    from migration_analysis.report import execute_notebook

    path = ROOT / "notebooks" / "04_parler_and_the_app_stores.ipynb"
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert _png_sizes(committed), "the notebook chosen for this test must draw a figure"
    monkeypatch.setenv("MPLBACKEND", "Agg")
    executed = execute_notebook(path)
    shown, expected = _png_sizes(executed), _png_sizes(committed)
    assert [(cell, output) for cell, output, _ in shown] == [(cell, output) for cell, output, _ in expected]
    # The same size, give or take the pixel by which text metrics differ between matplotlib releases
    # (exact pixels are pytest-mpl's job, under the lock).
    for (_, _, (w, h)), (_, _, (w0, h0)) in zip(shown, expected):
        assert abs(w - w0) <= 2 and abs(h - h0) <= 2


def test_importing_the_charts_changes_no_global_setting_nor_the_backend():
    # Importing a chart module must leave matplotlib as it was: the notebooks choose their backend
    # (%matplotlib inline) and the house style is applied only by set_theme/new_figure, when called.
    code = ("import matplotlib; backend = matplotlib.get_backend(); before = dict(matplotlib.rcParams); "
            "import migration_analysis.charts.figures, migration_analysis.charts.waves; "
            "assert matplotlib.get_backend() == backend, matplotlib.get_backend(); "
            "changed = [k for k, v in matplotlib.rcParams.items() if before[k] != v]; "
            "assert changed == [], changed")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    assert run.returncode == 0, run.stderr


def test_every_notebook_chooses_the_inline_backend_in_its_imports_cell():
    for path in NOTEBOOKS:
        cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        assert "".join(cells[0]["source"]).startswith("%matplotlib inline"), path.name
