"""Datelines and bylines: found, left out of the parse, never an actor, never an event."""

from __future__ import annotations

import datetime as dt

import pytest

from realpolitik.ingest import Article, default_vocabulary, find_bylines, find_datelines, text_to_parse

# sentences that parse right on their own, each with its main event's (type, source, target)
SENTENCES = [
    ("Israeli aircraft struck a weapons depot near Damascus.", ("ASSAULT", "Israel", "Syria")),
    ("Russia condemned the strikes on Iran.", ("ACCUSE", "Russia", "Iran")),
    ("China imposed sanctions on five American firms.", ("COERCE", "China", "United States")),
    ("Egypt called for an immediate ceasefire.", ("REQUEST", "Egypt", None)),
    ("Turkey deployed troops to the border with Syria.", ("MOBILIZE", "Turkey", "Syria")),
    ("Iranian officials blamed Moscow for the delay.", ("ACCUSE", "Iran", "Russia")),
    ("The United States suspended military aid to Ukraine.", ("SANCTION", "United States", "Ukraine")),
]

# the heads wire copy puts before them
DATELINES = [
    ("TEHRAN, March 14, 2026 — ", ("TEHRAN", "March 14, 2026", None)),
    ("MOSCOW (Reuters) - ", ("MOSCOW", None, "Reuters")),
    ("WASHINGTON, March 3 (AP) — ", ("WASHINGTON", "March 3", "AP")),
    ("JERUSALEM (AP) -- ", ("JERUSALEM", None, "AP")),
    ("Jerusalem, March 3 (Reuters) - ", ("Jerusalem", "March 3", "Reuters")),
    ("BEIRUT, Lebanon -- ", ("BEIRUT, Lebanon", None, None)),
    ("ADDIS ABABA, May 15 (Xinhua) -- ", ("ADDIS ABABA", "May 15", "Xinhua")),
    ("Tehran, March 15, IRNA - ", ("Tehran", "March 15", "IRNA")),
    ("TEL AVIV-- ", ("TEL AVIV", None, None)),
    ("UNITED NATIONS: ", ("UNITED NATIONS", None, None)),
    ("(Reuters) - ", (None, None, "Reuters")),
    ("Washington - ", ("Washington", None, None)),
]


def _main(result) -> tuple[str, str | None, str | None]:
    main = [e for e in result.events if e.main]
    assert main, f"no main event in {result.article.text!r}"
    return main[0].type, main[0].source, main[0].target


@pytest.mark.parametrize(("head", "parts"), DATELINES)
def test_a_dateline_gives_its_place_date_and_agency(head: str, parts: tuple[str | None, str | None, str | None]) -> None:
    text = head + "Israel struck a depot."
    [d] = find_datelines(text, default_vocabulary())
    assert (d.place, d.date, d.agency) == parts
    assert (d.start, text[d.end :]) == (0, "Israel struck a depot.")


@pytest.mark.parametrize(
    "text",
    [
        "Russia — already under sanctions — said it would retaliate.",
        "Israel said its jets struck Hezbollah targets.",
        "NATO - the alliance met in Brussels.",
        "US - Iran talks resumed in Oman.",
        "Israel - Iran tensions rose on Monday.",
        "Iran, on Tuesday, condemned the strikes.",
        "The Kremlin - which denies any role - said nothing.",
    ],
)
def test_a_sentence_that_starts_with_an_actor_has_no_dateline(text: str) -> None:
    assert find_datelines(text, default_vocabulary()) == []


@pytest.mark.parametrize(("head", "parts"), DATELINES)
@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_a_dateline_leaves_type_source_and_target_as_without_it(annotate, head: str, parts, sentence: str, expected) -> None:
    assert _main(annotate(sentence)) == expected  # it parses right on its own
    result = annotate(head + sentence)
    assert _main(result) == expected
    assert [d.end for d in result.datelines] == [len(head)]
    for e in result.events:  # offsets still slice the article's own text, never into the dateline
        assert e.start >= len(head) and result.article.text[e.start : e.end] == e.text


def test_a_dateline_never_swallows_an_actor_nor_becomes_one(annotate) -> None:
    # before: "TEHRAN" was taken as a second subject of "struck" and the event had no source
    result = annotate("TEHRAN, March 14, 2026 — Israeli aircraft struck a weapons depot near Damascus.")
    assert _main(result) == ("ASSAULT", "Israel", "Syria")  # a place near which it happened, never the dateline's
    assert result.article.published == dt.date(2026, 3, 14)  # the dateline's full date is the article's
    # a capital in title case is a metonym (Israel), but in a dateline it is only the place filed from
    result = annotate("Jerusalem, March 3 (Reuters) - Iran condemned the strikes.")
    assert [m.surface for m in result.mentions] == ["Iran"]
    assert _main(result) == ("ACCUSE", "Iran", None)


def test_a_paragraph_may_start_with_a_dateline_of_its_own(annotate) -> None:
    text = "Russia condemned the strikes on Iran.\nCAIRO (AP) -- Egypt called for an immediate ceasefire."
    result = annotate(text)
    assert [(d.place, d.agency) for d in result.datelines] == [("CAIRO", "AP")]
    assert [_main_of(result, n) for n in (0, 1)] == [("ACCUSE", "Russia", "Iran"), ("REQUEST", "Egypt", None)]


def _main_of(result, sentence: int) -> tuple[str, str | None, str | None]:
    [e, *_] = [e for e in result.events if e.sentence == sentence and e.main]
    return e.type, e.source, e.target


@pytest.mark.parametrize(
    ("text", "bylines"),
    [
        ("By Jane Doe\nIsrael struck a depot.", ["By Jane Doe"]),
        ("BY JANE DOE and JOHN ROE, Associated Press\nIsrael struck a depot.", ["BY JANE DOE and JOHN ROE, Associated Press"]),
        ("Israel struck a depot.\nReporting by Parisa Hafezi; Editing by Alex Richardson", ["Reporting by Parisa Hafezi; Editing by Alex Richardson"]),
        ("Israel struck a depot. (Additional reporting by Jane Doe in Paris)", ["(Additional reporting by Jane Doe in Paris)"]),
        ("By the way, Israel struck a depot.", []),
        ("By Tuesday Israel had struck a depot near Damascus.", []),
    ],
)
def test_bylines_and_credit_lines_are_found(text: str, bylines: list[str]) -> None:
    assert [b.text for b in find_bylines(text)] == bylines


def test_a_byline_is_not_text_of_an_event(annotate) -> None:
    text = "By Jane Doe\nMOSCOW (Reuters) - Russia condemned the strikes on Iran. (Reporting by Ali Kamal in Tehran; Editing by Tom Hogue)"
    result = annotate(text)
    assert [b.text for b in result.bylines] == ["By Jane Doe", "(Reporting by Ali Kamal in Tehran; Editing by Tom Hogue)"]
    assert [m.surface for m in result.mentions] == ["Russia", "Iran"]  # not the Tehran of the credit line
    assert [(e.type, e.source, e.target) for e in result.events] == [("ACCUSE", "Russia", "Iran")]
    [event] = result.events
    assert event.text == "Russia condemned the strikes on Iran."


def test_the_parse_keeps_every_offset() -> None:
    text = "By Jane Doe\nTEHRAN, March 14, 2026 — Israeli aircraft struck a depot."
    parsed = text_to_parse(text)
    assert len(parsed) == len(text) and parsed.count("\n") == 1
    assert parsed.endswith("Israeli aircraft struck a depot.") and not parsed[: text.index("Israeli")].strip()
    assert text_to_parse("Russia condemned the strikes.") == "Russia condemned the strikes."


def test_the_json_carries_datelines_and_bylines(annotate) -> None:
    data = annotate("By Jane Doe\nWASHINGTON, March 3 (AP) — Israel struck a depot.").to_dict()
    assert data["datelines"] == [{"start": 12, "end": 39, "place": "WASHINGTON", "date": "March 3", "agency": "AP"}]
    assert data["bylines"] == [{"start": 0, "end": 11, "text": "By Jane Doe"}]


def test_analyse_takes_the_parse_of_the_blanked_text(nlp) -> None:
    from realpolitik.ingest import analyse

    article = Article.from_text("MOSCOW (Reuters) - Russia condemned the strikes.", id="a")
    assert [e.source for e in analyse(article, nlp(text_to_parse(article.text))).events] == ["Russia"]
    with pytest.raises(ValueError, match="datelines and bylines blanked"):
        analyse(article, nlp(article.text))
