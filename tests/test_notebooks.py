"""Notebook conventions that nbval cannot see (strict nbval silently skips unexecuted cells)."""

import ast
import json

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def code_cells(path):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def test_there_are_eight_numbered_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06", "07", "08"]


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
                 if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(ast.parse("".join(c["source"]))))]
    assert importing == [0], f"{path.name}: imports belong in the single first code cell"
    assert "import migration_analysis as ma" in "".join(cells[0]["source"])
    for cell in cells:
        tree = ast.parse("".join(cell["source"]))
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
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            # to_csv() with no path returns text; with a path it writes a file.
            writes = name in WRITERS or (name == "to_csv" and (node.args or any(k.arg == "path_or_buf" for k in node.keywords)))
            assert not writes, f"{path.name}: a cell calls {name}(), which writes a file"
