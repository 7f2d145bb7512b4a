"""The page in Debian's Chromium: it loads without errors, and a what-if driven
through its controls changes the answers it shows."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from realpolitik.inference import evidence_as_of
from realpolitik.scenario import load
from realpolitik.serve import ServeApp, ServeSettings, start_server
from tests.browser import launch, playwright_api
from tests.serve.conftest import AS_OF

#: Where the screenshot goes: ``$REALPOLITIK_TEST_ARTIFACTS/serve.png``, else pytest's tmp_path.
ARTIFACTS = "REALPOLITIK_TEST_ARTIFACTS"


@pytest.fixture
def browser_api():  # type: ignore[no-untyped-def]
    return playwright_api()


@contextlib.contextmanager
def _opened(sync_api, app: ServeApp) -> Iterator[tuple[Any, str]]:  # type: ignore[no-untyped-def]
    """The page of ``app`` in headless Chromium, once it has loaded its answers; on
    leaving, no page error, no console error and no request but to the server."""
    messages: list[tuple[str, str]] = []
    errors: list[str] = []
    requests: list[str] = []
    with start_server(app, port=0).start() as server, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 1000})
            tab.on("console", lambda m: messages.append((m.type, m.text)))
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.on("request", lambda r: requests.append(r.url))
            tab.goto(server.url, wait_until="load")
            tab.wait_for_function("() => document.body.dataset.ready === 'true' || !document.getElementById('error').hidden", timeout=30_000)
            yield tab, server.url
        finally:
            browser.close()
    assert not errors, errors
    assert not [m for m in messages if m[0] == "error"], messages
    assert all(url.startswith(server.url) for url in requests), [u for u in requests if not u.startswith(server.url)]


def _screenshot(tab, tmp_path: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    folder = Path(os.environ.get(ARTIFACTS) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / name
    tab.evaluate("window.scrollTo(0, 0)")
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"screenshot: {shot}")
    return shot


def test_the_page_runs_a_whatif_through_its_controls(browser_api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = ServeApp(load("default"), ServeSettings(runs=300, seed=1, horizon=60))
    with _opened(browser_api, app) as (tab, _):
        assert tab.locator("#error").is_hidden(), tab.inner_text("#error")
        assert tab.locator("#answers-table tbody tr").count() == len(app.scenario.model.questions)
        assert tab.locator("#fan-charts .main-svg").count() > 0 and tab.locator("#event-charts .main-svg").count() > 0
        cell = tab.locator('#answers-table tr[data-question="ukraine_shortfall"] td.delta')
        before = cell.inner_text()
        assert before == "—"
        # force a decision from day 1, and set a parameter through its number box
        tab.select_option("#force-decision", "interceptor_allocation")
        tab.select_option("#force-option", "divert_to_middle_east")
        tab.fill("#force-day", "1")
        tab.click("#force-add")
        tab.locator('#param-list .param[data-name="direct_help_cost"] input[type=number]').fill("4")
        flags = tab.inner_text("#intervention-text")
        assert "--force interceptor_allocation=divert_to_middle_east" in flags and "--set direct_help_cost=4" in flags
        tab.click("#run-whatif")
        tab.wait_for_selector("#whatif-results:not([hidden])", timeout=30_000)
        tab.wait_for_function("() => document.querySelectorAll('#path-chart .main-svg').length > 0", timeout=15_000)
        after = cell.inner_text()
        assert after != before and re.search(r"[+-]\d", after), after
        assert tab.locator("#whatif-table tbody tr[data-question]").count() == len(app.scenario.model.questions)
        assert "realpolitik whatif russia-iran-2026 --set direct_help_cost=4 --force interceptor_allocation=divert_to_middle_east" in tab.inner_text("#whatif-command")
        assert tab.locator("#status").is_hidden()
        _screenshot(tab, tmp_path, "serve.png")


def test_the_page_as_of_a_date_shows_history_news_and_what_moved(browser_api, news: tuple[Path, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, prices = news
    scenario = load("default")
    evidence = evidence_as_of(scenario, AS_OF, db=db, prices=[f"brent={prices}"])
    app = ServeApp(scenario, ServeSettings(runs=200, seed=1, horizon=30, evidence=evidence, db=db))
    with _opened(browser_api, app) as (tab, _):
        assert tab.locator("#error").is_hidden(), tab.inner_text("#error")
        brent = tab.evaluate(
            """() => [...document.querySelectorAll('#fan-charts .js-plotly-plot')]
                 .map(gd => ({title: gd.layout.title.text, traces: gd.data.map(t => t.name), observed: (gd.data.find(t => /observed/.test(t.name)) || {}).x,
                              line: (gd.layout.shapes || []).map(s => s.x0)}))
                 .find(c => c.title.startsWith('brent'))"""
        )
        assert "observed (brent)" in brent["traces"] and brent["observed"] == ["2026-02-27", "2026-03-09", "2026-03-10", "2026-03-11"]
        assert brent["line"] == [AS_OF.isoformat()]
        assert "as of 2026-03-12" in tab.inner_text("#conditioning")
        rows = tab.locator("#news-table tbody tr")
        assert rows.count() == 1 and "the <b>ministry</b> condemned" in rows.first.inner_text()  # shown as text, not markup
        tab.click("#run-update")
        tab.wait_for_selector("#update-table:not([hidden])", timeout=30_000)
        assert tab.locator("#update-table tbody tr").count() == len(scenario.model.questions)
        assert "realpolitik update" in tab.inner_text("#update-command")
        _screenshot(tab, tmp_path, "serve-as-of.png")
