"""The report in a real browser (Debian's Chromium through Playwright): no command is
clipped, on screen or in print, and the printed report starts with a full page and
charts that fit it."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import realpolitik
from realpolitik.brief import write_brief
from tests.browser import launch, playwright_api

#: How far down the first printed page its last line of text must reach.
FULL = 0.8
#: Width of a printed A4 page less 12 mm margins, in CSS pixels.
PRINTED_WIDTH = 703

_TOKEN = re.compile(rb"/[^\s/\[\]<>()%{}]+|\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|\[|\]|<<|>>|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z*'\"]+")
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")


def _mul(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """``a`` then ``b``, as PDF composes matrices (row vectors)."""
    return (
        a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5],
    )  # fmt: skip


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (its dictionary, its stream decoded or None), each stream read by its /Length."""
    out: dict[int, tuple[bytes, bytes | None]] = {}
    pos = 0
    while match := re.compile(rb"(\d+) 0 obj\b").search(pdf, pos):
        end = re.compile(rb"stream\r?\n|endobj").search(pdf, match.end())
        assert end, "an object without an end"
        head = pdf[match.end() : end.start()]
        if end.group(0) == b"endobj":
            out[int(match.group(1))] = (head, None)
            pos = end.end()
            continue
        length = re.search(rb"/Length\s+(\d+)(\s+0\s+R)?", head)
        assert length, "a stream without a length"
        n = int(length.group(1))
        if length.group(2):
            n = int(re.search(rb"\b%d 0 obj\s*(\d+)" % n, pdf).group(1))  # type: ignore[union-attr]
        data = pdf[end.end() : end.end() + n]
        out[int(match.group(1))] = (head, zlib.decompress(data) if b"/FlateDecode" in head else data)
        pos = end.end() + n
    return out


def text_lines(pdf: bytes) -> list[list[float]]:
    """For each page of a PDF (as Chromium writes one), where its pieces of text sit,
    as fractions of the page's height from the top.

    A small reader of the content streams (no PDF library is a dependency): it follows
    the graphics state (``q``, ``Q``, ``cm``) and the text matrix (``Tm``, ``Td``) to
    each text-showing operator.
    """
    objects = _objects(pdf)
    root = int(re.search(rb"/Root (\d+) 0 R", pdf).group(1))  # type: ignore[union-attr]

    def pages(n: int) -> Iterator[int]:
        head = objects[n][0]
        if re.search(rb"/Type\s*/Pages\b", head):
            for kid in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", head, re.S).group(1)):  # type: ignore[union-attr]
                yield from pages(int(kid))
        else:
            yield n

    out = []
    for n in pages(int(re.search(rb"/Pages (\d+) 0 R", objects[root][0]).group(1))):  # type: ignore[union-attr]
        head = objects[n][0]
        height = float(re.search(rb"/MediaBox\s*\[\s*\S+\s+\S+\s+\S+\s+(\S+)\s*\]", head).group(1))  # type: ignore[union-attr]
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", head).group(1)  # type: ignore[union-attr]
        ys = []
        for ref in re.findall(rb"(\d+) 0 R", contents):
            identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            ctm, tlm, stack, args = identity, identity, [], []  # type: ignore[var-annotated]
            for token in _TOKEN.findall(objects[int(ref)][1] or b""):
                if _NUMBER.fullmatch(token):
                    args.append(float(token))
                    continue
                if token == b"q":
                    stack.append(ctm)
                elif token == b"Q":
                    ctm = stack.pop() if stack else ctm
                elif token == b"cm" and len(args) >= 6:
                    ctm = _mul(tuple(args[-6:]), ctm)
                elif token == b"BT":
                    tlm = identity
                elif token == b"Tm" and len(args) >= 6:
                    tlm = tuple(args[-6:])
                elif token in (b"Td", b"TD") and len(args) >= 2:
                    tlm = _mul((1.0, 0.0, 0.0, 1.0, args[-2], args[-1]), tlm)
                elif token in (b"Tj", b"TJ", b"'", b'"'):
                    ys.append((height - _mul(tlm, ctm)[5]) / height)
                if not token.startswith((b"/", b"(", b"<", b"[", b"]")):
                    args = []
        out.append(ys)
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report with every part the CLI gives by default."""
    scenario = realpolitik.load("default")
    path = tmp_path_factory.mktemp("print") / "report.html"
    write_brief(scenario, path, runs=300, seed=1, horizon=60, samples=3)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = playwright_api()
    with sync_api.sync_playwright() as p:
        launched = launch(p)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def tab(browser: Any, report: Path) -> Iterator[Any]:
    """The report loaded once (it is 5 MB of charts); each test leaves it on a 1200px screen."""
    opened = browser.new_page(viewport={"width": 1200, "height": 900})
    opened.goto(report.as_uri(), wait_until="load")
    opened.wait_for_function("() => [...document.querySelectorAll('.chart')].every(c => c.querySelector('.main-svg'))", timeout=15_000)
    try:
        yield opened
    finally:
        opened.close()


def _screen(tab: Any) -> None:
    tab.emulate_media(media="screen")
    tab.set_viewport_size({"width": 1200, "height": 900})


#: Every command element whose text is not wholly visible: one that scrolls or is
#: cut itself, that runs past the page's edge, or that sits in a box that cuts it.
CLIPPED = """() => {
  const bad = [];
  const view = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('pre.command, code.command-line')) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const text = el.textContent.slice(0, 60);
    if (!['pre-wrap', 'break-spaces', 'pre-line', 'normal'].includes(style.whiteSpace)) bad.push([text, 'white-space ' + style.whiteSpace]);
    if (style.textOverflow === 'ellipsis') bad.push([text, 'ellipsis']);
    if (el.scrollWidth > el.clientWidth + 1 && style.display !== 'inline') bad.push([text, 'scrolls ' + el.scrollWidth + ' > ' + el.clientWidth]);
    if (box.left < -1 || box.right > view + 1) bad.push([text, 'past the page ' + box.left + '..' + box.right + ' of ' + view]);
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const s = getComputedStyle(up);
      if (s.overflowX !== 'visible' && up.scrollWidth > up.clientWidth + 1) bad.push([text, 'cut by ' + up.tagName + '.' + up.className]);
    }
  }
  return bad;
}"""


@pytest.mark.parametrize(("media", "width"), [("screen", 420), ("print", PRINTED_WIDTH)])
def test_no_command_is_clipped(tab: Any, report: Path, media: str, width: int) -> None:
    try:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.emulate_media(media=media)
        assert tab.evaluate(CLIPPED) == []
        shown = tab.eval_on_selector_all("pre.command code, code.command-line", "els => els.map(e => e.innerText.split('\\n')[0])")
        page = report.read_text(encoding="utf-8")
        longest = max(shown, key=len)
        assert len(longest) > 120 and longest in page  # the longest command is shown whole
    finally:
        _screen(tab)


def test_the_printed_report_starts_with_a_full_page(tab: Any) -> None:
    pdf = tab.pdf(format="A4", print_background=True)
    pages = text_lines(pdf)
    assert len(pages) > 5 and all(pages[:-1]), "a printed page without text"
    first = pages[0]
    assert max(first) > FULL, f"the first page's text ends {max(first):.0%} down the page: it is left part empty"
    assert min(first) < 0.1


def test_printed_charts_are_redrawn_to_the_page(tab: Any) -> None:
    widths = "() => [...document.querySelectorAll('.chart')].map(c => [c.id, c.querySelector('.main-svg').getBoundingClientRect().width, c.clientWidth])"
    try:
        tab.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        tab.set_viewport_size({"width": PRINTED_WIDTH, "height": 1000})
        tab.emulate_media(media="print")
        for chart, svg, box in tab.evaluate(widths):
            assert svg <= box + 1, f"{chart}: {svg:.0f}px wide in a {box}px box"
        assert tab.evaluate("document.documentElement.scrollWidth") <= PRINTED_WIDTH
        tab.emulate_media(media="screen")
        tab.set_viewport_size({"width": 1200, "height": 900})
        tab.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        tab.wait_for_timeout(300)
        for chart, svg, box in tab.evaluate(widths):
            assert abs(svg - box) <= 1, f"{chart}: {svg:.0f}px wide after printing, in a {box}px box"
    finally:
        tab.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        _screen(tab)
