"""The HTML report: self-contained, complete, escaped, and it renders in a real browser."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import realpolitik
from realpolitik.report import build_report, track_record_path, write_report
from realpolitik.report._format import percent
from tests.browser import launch, playwright_api

SECTIONS = (
    "header", "summary", "answers", "over-time", "fan-charts", "events", "levels", "decisions",
    "sensitivity", "whatif", "discovery", "backtest", "assumptions",
)  # fmt: skip
ANALYSES = ("sensitivity", "whatif", "discovery")
#: Sections whose numbers come from a command other than the run's (the analyses', the track record's).
OWN_COMMAND = (*ANALYSES, "summary", "backtest")
#: What would make a page fetch something from the network.
EXTERNAL = ('src="http', "src='http", 'href="http', "href='http", "@import", "url(http", "url('http", 'url("http', "//cdn.")
ATTACK = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _whatif(results: realpolitik.Results) -> dict[str, Any]:
    red, brent = results.answer("red_line_crossed"), results.answer("brent_at_horizon")
    run = dict(results.info.to_dict())
    run["command"] = (
        "realpolitik whatif russia-iran-2026 --force interceptor_allocation=divert_to_middle_east --runs 500 --seed 1 --horizon 60"
    )

    def question(a: realpolitik.Answer, shift: float) -> dict[str, Any]:
        e = a.estimate
        return {
            "id": a.question,
            "cites": list(a.cites),
            "text": a.text,
            "kind": a.kind,
            "unit": a.unit,
            "baseline": e.to_dict(),
            "intervention": {"value": e.value + shift, "se": e.se, "low": e.low + shift, "high": e.high + shift},
            "delta": {"value": shift, "se": abs(shift) / 4, "low": shift - abs(shift) / 2, "high": shift + abs(shift) / 2},
            "independent_se": abs(shift) / 2,
        }

    return {"run": run, "intervention": "--force interceptor_allocation=divert_to_middle_east", "questions": [question(red, 0.031), question(brent, -2.5)]}


def _sensitivity(scenario: realpolitik.Scenario) -> dict[str, Any]:
    names = list(scenario.spec.parameters)[:9]
    return {
        "method": "sobol",
        "command": "realpolitik sensitivity russia-iran-2026 --method sobol --samples 256 --runs 200 --seed 1 --horizon 60",
        "runs": 200,
        "seed": 1,
        "samples": 256,
        "questions": [
            {
                "id": qid,
                "cites": [cite],
                "text": f"sensitivity of {qid}",
                "parameters": [
                    {"name": n, "S1": 0.5 / (i + 1 + k), "S1_conf": 0.02, "ST": 0.6 / (i + 1 + k), "ST_conf": 0.03} for i, n in enumerate(names)
                ],
            }
            for k, (qid, cite) in enumerate((("red_line_crossed", "Q2"), ("brent_at_horizon", "Q4")))
        ],
    }


def _discovery(scenario: realpolitik.Scenario) -> dict[str, Any]:
    a, b = list(scenario.spec.parameters)[:2]
    return {
        "outcome": "red_line_crossed",
        "by": "2026-05-07",
        "command": "realpolitik discover russia-iran-2026 --outcome red_line_crossed --runs 2000 --seed 1 --horizon 60",
        "runs": 2000,
        "seed": 1,
        "base_rate": 0.04,
        "boxes": [
            {"rules": [{"parameter": a, "low": 71.2, "high": None}, {"parameter": b, "low": 0.021, "high": 0.034}], "coverage": 0.62, "density": 0.31, "mass": 0.08, "text": ""},
            {"rules": [{"parameter": b, "low": None, "high": 0.019}], "coverage": 0.2, "density": 0.12, "mass": 0.07, "text": "calm markets"},
        ],
        "tree": f"{a} <= 71.2\n|-- {b} <= 0.021: 0.02\n`-- {b} > 0.021: 0.31",
    }


@pytest.fixture(scope="module")
def default() -> tuple[realpolitik.Scenario, realpolitik.Results]:
    scenario = realpolitik.load("default")
    return scenario, scenario.run(runs=500, seed=1, horizon=60)


@pytest.fixture(scope="module")
def analyses(default: tuple[realpolitik.Scenario, realpolitik.Results]) -> dict[str, dict[str, Any]]:
    from realpolitik.inference import watch

    scenario, results = default
    ranked = watch(scenario, [], now=scenario.spec.clock.start, runs=500, seed=1, horizon=60).to_dict()
    return {"whatif": _whatif(results), "sensitivity": _sensitivity(scenario), "discovery": _discovery(scenario), "watch": ranked}


@pytest.fixture(scope="module")
def page(default: tuple[realpolitik.Scenario, realpolitik.Results], analyses: dict[str, dict[str, Any]]) -> str:
    scenario, results = default
    return build_report(results, scenario, **analyses)


def _section(page: str, name: str) -> str:
    tag = "header" if name == "header" else "section"
    match = re.search(rf'<{tag} id="{name}">(.*?)</{tag}>', page, re.S)
    assert match, f"no <{tag} id={name!r}>"
    return match.group(1)


def _outside_plotly(page: str) -> str:
    """The page without the verbatim Plotly library (whose map code holds attribution
    links as string literals that this page never renders)."""
    from plotly.offline import get_plotlyjs

    match = re.search(r'<script id="plotly-js">(.*?)</script>', page, re.S)
    assert match, "Plotly's JavaScript is not inlined"
    assert match.group(1) == get_plotlyjs(), "the inlined library is not Plotly's own"
    return page[: match.start()] + page[match.end() :]


def test_the_page_is_self_contained(page: str) -> None:
    assert page.count('<script id="plotly-js">') == 1
    rest = _outside_plotly(page)
    for pattern in EXTERNAL:
        assert pattern not in rest, pattern
    assert not re.search(r"<(script|img|iframe)\b[^>]*\bsrc=", rest)
    assert not re.search(r"<link\b[^>]*stylesheet", rest)
    from plotly.offline import get_plotlyjs

    library = get_plotlyjs()
    for pattern in ('src="http', "@import", "url(http"):
        assert pattern not in library, pattern


@pytest.mark.parametrize("name", SECTIONS)
def test_every_section_is_present(page: str, name: str) -> None:
    _section(page, name)


@pytest.mark.parametrize("name", [s for s in SECTIONS if s not in OWN_COMMAND])
def test_each_section_shows_the_command_that_reproduces_it(page: str, default: tuple[realpolitik.Scenario, realpolitik.Results], name: str) -> None:
    results = default[1]
    body = _section(page, name)
    assert 'class="command"' in body
    command = "realpolitik check russia-iran-2026" if name == "assumptions" else results.info.command
    assert command in body
    assert f"# sha256:{results.info.sha256[:16]}… realpolitik {results.info.version}" in body


@pytest.mark.parametrize("name", ANALYSES)
def test_each_analysis_shows_its_own_command(page: str, analyses: dict[str, dict[str, Any]], name: str) -> None:
    data = analyses[name]
    command = data["run"]["command"] if name == "whatif" else data["command"]
    assert command in _section(page, name)


def test_the_summary_and_the_track_record_show_their_commands(page: str, analyses: dict[str, dict[str, Any]], default: tuple[realpolitik.Scenario, realpolitik.Results]) -> None:
    summary = _section(page, "summary")
    assert default[1].info.command in summary and analyses["sensitivity"]["command"] in summary
    assert f"{analyses['watch']['command']}\n<span class=\"comment\"># sha256:{default[1].info.sha256[:16]}…" in summary
    assert "realpolitik backtest russia-iran-2026 --oil ../shared/data/oil/brent-daily.csv" in _section(page, "backtest")


def test_the_analyses_appear_only_when_given(default: tuple[realpolitik.Scenario, realpolitik.Results]) -> None:
    page = build_report(default[1], default[0])
    for name in ANALYSES:
        assert f'id="{name}"' not in page
    assert 'id="summary"' in page and 'id="backtest"' in page  # these always


def test_numbers_are_rounded_and_dates_iso(page: str, default: tuple[realpolitik.Scenario, realpolitik.Results]) -> None:
    results = default[1]
    answers = _section(page, "answers")
    red = results.answer("red_line_crossed")
    assert percent(red.estimate.value) in answers
    assert red.date.isoformat() in answers
    assert not re.search(r"\d\.\d{5,}", answers), "a number has more than four decimals"
    whatif = _section(page, "whatif")
    assert "+3.10 pp" in whatif and "-2.50 USD/bbl" in whatif
    discovery = _section(page, "discovery")
    assert "0.0210 ≤" in discovery and "≥ 71.2" in discovery and "62.0%" in discovery


def test_the_assumption_table_lists_every_element_with_its_passage(page: str, default: tuple[realpolitik.Scenario, realpolitik.Results]) -> None:
    from realpolitik.scenario._resolve import elements
    from realpolitik.scenario._yaml import format_path

    table = _section(page, "assumptions").replace("<wbr>", "")
    for path, _element in elements(default[0].spec):
        assert f">{format_path(path)}</code>" in table, format_path(path)
    # The shared sources are beside the project here, but not in a fresh clone.
    if (Path(realpolitik.__file__).resolve().parents[3] / "shared" / "sources").is_dir():
        assert table.count("<mark>") > 100
        assert "<mark>spiked global energy prices</mark>" in table


def test_a_missing_key_in_an_analysis_is_named(default: tuple[realpolitik.Scenario, realpolitik.Results], analyses: dict[str, dict[str, Any]]) -> None:
    broken = {**analyses["whatif"], "questions": [{k: v for k, v in analyses["whatif"]["questions"][0].items() if k != "delta"}]}
    with pytest.raises(ValueError, match=r"whatif.questions\[0\] has no 'delta'"):
        build_report(default[1], default[0], whatif=broken)


ESCAPING_SCENARIO = f"""\
name: escaping
title: "Brief <i>title</i>"
description: "A description with {ATTACK} in it"
sources:
  S1: {{file: source.txt, title: "Source <b>one</b>"}}
  S2: {{file: missing.txt, title: Gone}}
clock: {{start: 2026-01-01, step_days: 1, horizon_days: 20}}
parameters:
  rate:
    prior: {{dist: uniform, low: 0.01, high: 0.05}}
    cites: [M1]
    source: S1
    locator: "a <quoted> locator"
    rationale: "Because 1 < 2 & {ATTACK}"
variables:
  price: {{type: continuous, initial: 100, unit: "USD<bbl>", cites: [V1], source: S2, locator: anything}}
  ladder: {{type: levels, levels: [low, high], initial: low}}
actors:
  state:
    decisions:
      stance:
        options:
          wait: {{}}
          push: {{utility: -1, effects: {{ladder: high}}}}
events:
  shock: {{hazard: rate}}
mechanisms:
  drift: {{target: price, update: "price * 1.001"}}
questions:
  shocked:
    kind: probability
    text: "Does {ATTACK} happen?"
    condition: shock > 0
  price_end: {{kind: quantiles, text: "Where is the price?", value: price}}
"""


def test_user_text_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "escaping.yaml"
    path.write_text(ESCAPING_SCENARIO, encoding="utf-8")
    (tmp_path / "source.txt").write_text("Some words before,\n and here is a <quoted>   locator with more words & after.", encoding="utf-8")
    scenario = realpolitik.load(path)
    results = scenario.run(runs=100, seed=0)
    sensitivity = {"method": "morris", "command": f"realpolitik sensitivity {ATTACK}", "questions": [{"id": "shocked", "text": ATTACK, "parameters": [{"name": "<b>rate</b>", "mu_star": 0.2, "mu_star_conf": 0.05, "sigma": 0.1}]}]}
    page = build_report(results, scenario, sensitivity=sensitivity)
    rest = _outside_plotly(page)
    assert ATTACK not in rest
    assert rest.count(ESCAPED) >= 4  # description, question, rationale, sensitivity
    assert "Brief &lt;i&gt;title&lt;/i&gt;" in rest and "<i>" not in rest
    assert "<b>rate</b>" not in rest and "<b>" not in rest  # chart labels are JSON-escaped too
    assert "<mark>a &lt;quoted&gt; locator</mark>" in rest
    assert "source not reachable" in _section(page, "assumptions")


def test_write_report_replaces_the_file_atomically(tmp_path: Path, default: tuple[realpolitik.Scenario, realpolitik.Results]) -> None:
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    assert write_report(out, default[1], default[0]) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_the_page_renders_in_headless_chromium(tmp_path: Path, page: str) -> None:
    sync_api = playwright_api()
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    messages: list[tuple[str, str]] = []
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            tab = browser.new_page(viewport={"width": 1200, "height": 900})
            tab.on("console", lambda m: messages.append((m.type, m.text)))
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.on("request", lambda r: requests.append(r.url))
            tab.goto(report.as_uri(), wait_until="load")
            tab.wait_for_function(
                "() => [...document.querySelectorAll('.chart')].every(c => c.querySelector('.main-svg'))", timeout=15_000
            )
            for name in SECTIONS:
                assert tab.locator(f"#{name}").is_visible(), name
            charts = tab.eval_on_selector_all(".chart", "els => els.map(e => [e.id, e.querySelectorAll('.main-svg').length, e.getBoundingClientRect().height])")
            assert len(charts) >= 10
            for chart_id, svgs, height in charts:
                assert svgs > 0 and height > 100, chart_id
            shot = tmp_path / "report.png"
            tab.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert not errors, errors
    assert not [m for m in messages if m[0] == "error"], messages
    assert requests == [report.as_uri()], "the page fetched something besides itself"
    assert shot.stat().st_size > 50_000
    shutil.copyfile(shot, "/tmp/realpolitik-report.png")


def test_each_event_question_has_its_probability_over_time(page: str, default: tuple[realpolitik.Scenario, realpolitik.Results]) -> None:
    results = default[1]
    figures = json.loads(re.search(r'<script id="report-figures" type="application/json">(.*?)</script>', page, re.S).group(1))
    section = _section(page, "over-time")
    events = [a for a in results.answers if a.kind != "quantiles"]
    assert events and all(a.over_time is not None for a in events)
    for a in results.answers:
        chart = f"chart-over-time-{a.question}"
        if a.kind == "quantiles":
            assert chart not in figures
            continue
        assert f'id="{chart}"' in section
        low, high, value = figures[chart]["data"]
        assert value["x"] == [d.isoformat() for d in a.over_time.dates]
        assert value["y"] == pytest.approx(a.over_time.value.tolist(), rel=1e-3, abs=1e-9)
        assert low["y"] == pytest.approx(a.over_time.low.tolist(), rel=1e-3, abs=1e-9)
        assert high["y"] == pytest.approx(a.over_time.high.tolist(), rel=1e-3, abs=1e-9)
        # the last day's probability is the answer's own
        assert value["y"][-1] == pytest.approx(a.estimate.value, rel=1e-3, abs=1e-9)


#: The style sheet's rules, for the checks that no command can be clipped.
CSS = (Path(realpolitik.__file__).parent / "report" / "templates" / "report.css").read_text(encoding="utf-8")


def _rules(selector: str) -> list[str]:
    return [body for head, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS) if selector in [h.strip() for h in head.split(",")]]


def test_every_command_is_in_the_page_whole_and_styled_to_wrap(page: str, analyses: dict[str, dict[str, Any]], default: tuple[realpolitik.Scenario, realpolitik.Results]) -> None:
    import html

    results = default[1]
    commands = [
        results.info.command,
        analyses["sensitivity"]["command"],
        analyses["whatif"]["run"]["command"],
        analyses["discovery"]["command"],
        analyses["watch"]["command"],
        "realpolitik check russia-iran-2026",
        json.loads(track_record_path(default[0]).read_text(encoding="utf-8"))["track_record"]["command"],  # type: ignore[union-attr]
    ]
    blocks = [html.unescape(b) for b in re.findall(r'<pre class="command"[^>]*><code>(.*?)</code></pre>', page, re.S)]
    lines = [html.unescape(b) for b in re.findall(r'<code class="command-line">(.*?)</code>', page, re.S)]
    for command in commands:
        assert any(b.split("\n")[0] == command for b in blocks) or command in lines, command
    for element in ("pre.command", "code.command-line"):
        style = " ".join(_rules(element))
        assert "white-space: pre-wrap" in style and "overflow-wrap: anywhere" in style, element
        assert not re.search(r"overflow(-x)?\s*:\s*(hidden|auto|scroll|clip)|text-overflow|white-space:\s*(pre|nowrap)\s*;", style), element


def test_the_answers_table_shows_each_answers_judgement_share_when_given(write_scenario) -> None:
    from realpolitik.analysis.provenance import judgement_shares
    from tests.scenario.minimal import MINIMAL

    scenario = realpolitik.load(write_scenario(MINIMAL.replace("horizon_days: 30", "horizon_days: 120").replace("low: 0.01, high: 0.05", "low: 0.001, high: 0.05")))
    results = scenario.run(runs=2000, seed=0)
    shares = judgement_shares(scenario, results)
    shocked = shares.get("shocked")
    assert shocked.share == pytest.approx(1.0) and shocked.top[0].parameter == "rate"  # the rate declares no basis: judgement
    page = build_report(results, scenario, judgement=shares.to_dict(), track_record=False)
    assert "<th class=\"num\">On judgement</th>" in page and percent(shocked.share) in page
    assert "moved most by rate (judgement" in page
    assert "On judgement" not in build_report(results, scenario, track_record=False)
