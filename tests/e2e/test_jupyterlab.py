"""End to end: every numbered notebook opens in JupyterLab in a real (headless) Chromium and runs
without errors through the UI. Marked ``e2e``; part of the README test command.

Nothing is installed here: the set-up (`make setup`) installs Debian's Chromium and Playwright from the
lock. Playwright drives that Chromium (its own browser download cannot work on these machines).
The server runs on a copy of the notebooks, so running them in the browser never touches the repository.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("MA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
# Lab settings for the test server: no news or update checks (no network here), no autosave, and
# every cell kept in the page (JupyterLab otherwise leaves cells out of view unrendered).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1, a free port and a random token; always stopped by its PID."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    settings = work / "settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    command = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work / 'notebooks'}",
               "--ServerApp.open_browser=False", "--LabApp.news_url=None"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"))
    log = open(work / "server.log", "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited with {server.returncode}: {(work / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("jupyter lab did not answer /api/status within 90 s")
            time.sleep(0.5)
        yield base, token, work
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.fail(f"Chromium could not be started from {CHROMIUM} ({exc.message.splitlines()[0]}). "
                        "Run the README set-up (`make setup` installs Debian's chromium) or set MA_CHROMIUM.")
        yield chromium
        chromium.close()


def wait_for_kernel(page, timeout_ms: int = 90_000) -> None:
    """Wait until the status bar says the notebook's kernel is connected and idle.

    Not the toolbar's execution indicator: JupyterLab gives it the state "idle" the moment a notebook
    opens, before any kernel exists, and "Run All" clicked while the kernel is still starting is
    silently dropped (no cell runs, or only the first). On a loaded 2-core machine that window is
    seconds long: the cause of the flaky timeouts.
    """
    page.wait_for_function("""() => [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')]
        .some(item => /\\| Idle$/.test(item.textContent.trim()))""", timeout=timeout_ms)


def run_all_cells(page) -> None:
    """Clear every output, then Run ▸ Run All Cells through the menus, as a user would."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Edit").click()
    page.locator(".lm-Menu-item", has_text="Clear Outputs of All Cells").click()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()


def wait_until_done(page, timeout_s: float = 120) -> None:
    """Wait until every code cell shows an execution count, or a cell failed and nothing is running."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = page.evaluate("""() => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                .map(p => p.textContent.trim());
            return {
                total: prompts.length,
                done: prompts.filter(p => /^\\[\\d+\\]:$/.test(p)).length,
                busy: prompts.some(p => p.includes('*')),
                failed: document.querySelectorAll(
                    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
                idle: !!document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]'),
            };
        }""")
        if state["total"] and state["done"] == state["total"] and state["idle"]:
            return
        if state["failed"] and not state["busy"] and state["idle"]:
            return  # run-all stops at an error; the assertions below report it
        time.sleep(0.5)
    raise AssertionError(f"the notebook had not finished after {timeout_s:.0f} s")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab(lab, browser, notebook):
    base, token, work = lab
    before = files_under(work / "notebooks")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        # A workspace of its own, reset, so no notebook opened by an earlier test is restored beside it.
        page.goto(f"{base}/lab/workspaces/e2e-{notebook.stem}/tree/{notebook.name}?reset&token={token}",
                  wait_until="domcontentloaded")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        wait_for_kernel(page)
        run_all_cells(page)
        wait_until_done(page)
        # Back to the top of the notebook for the screenshot: what a user sees on opening it.
        page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer').forEach(e => e.scrollTop = 0)")
        code_cells = page.locator(".jp-Notebook .jp-CodeCell").count()
        prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        executed = [p for p in prompts if p.strip().startswith("[") and p.strip()[1:-2].strip().isdigit()]
        errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()
        images = page.locator(".jp-OutputArea-output img").count()
        page.screenshot(path=str(ARTIFACTS / f"{notebook.stem}.png"), full_page=False)
        assert code_cells > 0 and len(executed) == code_cells, f"{len(executed)} of {code_cells} code cells ran"
        assert errors == 0, f"{errors} cells show an error or stderr output"
        if notebook.stem != "01_data_overview":  # the overview is tables only
            assert images > 0, "no figure was rendered"
        # Running a notebook writes nothing beside it or above it (JupyterLab's own checkpoints aside).
        written = files_under(work / "notebooks") - before
        assert not written and not (work / "reports").exists(), f"the notebook wrote {sorted(written)}"
    finally:
        page.close()
        shut_down_kernels(base, token)


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts}


def shut_down_kernels(base: str, token: str) -> None:
    """Stop the notebook's kernel so the next notebook does not share the machine with it."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions", headers=headers), timeout=10) as reply:
        sessions = json.load(reply)
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}", headers=headers, method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()
