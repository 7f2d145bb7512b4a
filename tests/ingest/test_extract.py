"""The top-level stream: order, pass-through of skipped inputs, the JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from realpolitik.ingest import Article, ArticleResult, EventPattern, Skipped, analyse, extract, read_articles

EVENT_KEYS = ["type", "source", "target", "modality", "claimant", "date", "date_precision", "start", "end", "text", "indicators", "decision", "confidence", "sentence", "main"]


def test_the_json_shape_is_the_issues(annotate) -> None:
    pattern = EventPattern("mfa_condemnation", types={"ACCUSE"}, sources={"Russia"}, keywords=("strike",))
    result = annotate("On Monday, Russia's foreign ministry condemned the strikes on Iran.", published="2026-03-10", patterns=[pattern])
    data = json.loads(json.dumps(result.to_dict()))
    assert list(data) == ["article", "datelines", "bylines", "mentions", "events"]
    assert {"id", "path", "title", "published"} <= set(data["article"])
    assert data["article"]["published"] == "2026-03-10"
    assert [list(m) for m in data["mentions"]] == [["start", "end", "text", "actor", "metonymy", "place"]] * 2
    [event] = data["events"]
    assert list(event) == EVENT_KEYS
    assert (event["type"], event["source"], event["modality"], event["date"], event["date_precision"]) == ("ACCUSE", "Russia", "asserted", "2026-03-09", "day")
    assert event["indicators"] == ["mfa_condemnation"] and event["decision"] is None
    assert (event["sentence"], event["main"]) == (0, True)


def test_results_and_skips_come_out_in_input_order(tmp_path: Path, nlp) -> None:
    texts = [f"Russia condemned strike number {i} on Iran, the ministry said on Monday." for i in range(5)]
    for i, text in enumerate(texts):
        (tmp_path / f"{i}a.txt").write_text(text, encoding="utf-8")
        if i % 2 == 0:
            (tmp_path / f"{i}b.txt").write_bytes(b"")
    out = list(extract(read_articles([tmp_path]), nlp, batch_size=2))
    names = [Path(o.article.path if isinstance(o, ArticleResult) else o.path).name for o in out]
    assert names == ["0a.txt", "0b.txt", "1a.txt", "2a.txt", "2b.txt", "3a.txt", "4a.txt", "4b.txt"]
    assert [type(o).__name__ for o in out].count("Skipped") == 3
    assert all(o.events for o in out if isinstance(o, ArticleResult))


def test_a_text_longer_than_the_parser_takes_is_skipped(nlp) -> None:
    limit = nlp.max_length
    nlp.max_length = 50
    try:
        out = list(extract([Article.from_text("Russia condemned the strikes. " * 5, id="long"), Article.from_text("Iran protested.", id="short")], nlp))
    finally:
        nlp.max_length = limit
    assert isinstance(out[0], Skipped) and "too long" in out[0].reason and out[0].path == "long"
    assert isinstance(out[1], ArticleResult)


def test_analyse_refuses_a_parse_of_another_text(nlp) -> None:
    with pytest.raises(ValueError, match="not the article's text"):
        analyse(Article.from_text("Russia condemned the strikes.", id="a"), nlp("Something else."))
