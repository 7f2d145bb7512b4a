"""Articles from other hands (issue 19): every bad JSONL line is one skipped line that
names its file, line and field, and the lines around it are read; every read is
bounded (a file, a line, a record's nesting and numbers)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realpolitik.ingest import Article, ArticleResult, Skipped, extract, read_articles
from realpolitik.ingest._read import MAX_HTML_BYTES, MAX_JSON_DEPTH, MAX_JSON_NUMBER_CHARS, MAX_LINE_BYTES

ENGLISH = "Russia offered on Monday to host peace talks between the two sides, the foreign ministry said."


def _feed(tmp_path: Path, *bad: str, name: str = "feed.jsonl") -> Path:
    """A JSONL file: a good record, each bad line, a good record (lines 1, 2.., last)."""
    lines = [json.dumps({"id": "first", "text": ENGLISH}), *bad, json.dumps({"id": "last", "text": ENGLISH + " Later."})]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _skips(path: Path, **limits: int) -> list[Skipped]:
    """The bad lines' skips, after checking that the good lines around them were read."""
    items = list(read_articles([path], **limits))
    assert isinstance(items[0], Article) and items[0].id == "first"
    assert isinstance(items[-1], Article) and items[-1].id == "last"
    skipped = items[1:-1]
    assert all(isinstance(s, Skipped) for s in skipped), skipped
    for s in skipped:
        assert str(s).startswith(f"{path}:{s.line}: skipped: ") and "\n" not in str(s)
    return skipped  # type: ignore[return-value]


def _record(**fields: object) -> str:
    return json.dumps({"text": ENGLISH, **fields})


# -- kind 5: nesting


@pytest.mark.parametrize(
    "nested",
    [
        "[" * 100_000 + "]" * 100_000,  # past Python's recursion limit
        "{" + '"a":{' * 5_000 + "}" * 5_001,
        "[{" * 3_000 + "}]" * 3_000,
        "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),  # just past our bound
        "[" * 100_000,  # unclosed as well
    ],
    ids=["arrays-100000", "objects-5000", "mixed-6000", "just-past-the-bound", "unclosed"],
)
def test_a_deeply_nested_line_is_skipped_with_its_line_and_the_rest_is_read(tmp_path: Path, nested: str) -> None:
    path = _feed(tmp_path, '{"text": ' + json.dumps(ENGLISH) + ', "extra": ' + nested + "}")
    [skip] = _skips(path)
    assert skip.line == 2 and ("nests" in skip.reason or "invalid JSON" in skip.reason)


def test_nesting_within_the_bound_and_brackets_inside_strings_are_read(tmp_path: Path) -> None:
    within = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    path = tmp_path / "ok.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"text": ' + json.dumps(ENGLISH) + ', "extra": ' + within[1:-1] + "}",  # the record's own object is a level
                _record(title="[" * 10_000 + "\\\"[{"),  # brackets (and an escaped quote) in a string do not nest
            ]
        ),
        encoding="utf-8",
    )
    items = list(read_articles([path]))
    assert [type(i).__name__ for i in items] == ["Article", "Article"], items


def test_a_deep_line_does_not_drop_the_articles_parsed_with_it(tmp_path: Path, nlp) -> None:
    # the whole batch (extract parses articles 32 at a time) once stopped at such a line
    lines = [json.dumps({"id": f"a{i}", "text": ENGLISH + f" Case {i}."}) for i in range(5)]
    lines.insert(3, '{"text": ' + json.dumps(ENGLISH) + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}")
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(extract(read_articles([path]), nlp))
    assert [i.article.id if isinstance(i, ArticleResult) else f"skip:{i.line}" for i in items] == ["a0", "a1", "a2", "skip:4", "a3", "a4"]


# -- kind 6: huge numbers


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("9" * 4_301, "extra"),  # past Python's int-string limit
        ("1" * 100_000, "extra"),
        ("-" + "7" * 5_000, "extra"),
        ("0." + "3" * 5_000, "extra"),
        ("1e" + "9" * 5_000, "extra"),
        ('{"deep": [1, 2, ' + "5" * 5_000 + "]}", "extra.deep[2]"),
    ],
    ids=["int-4301", "int-100000", "negative", "float", "exponent", "nested"],
)
def test_a_huge_number_is_skipped_naming_its_field(tmp_path: Path, value: str, field: str) -> None:
    path = _feed(tmp_path, '{"text": ' + json.dumps(ENGLISH) + ', "extra": ' + value + "}")
    [skip] = _skips(path)
    assert skip.line == 2 and f"field {field!r}" in skip.reason and "number" in skip.reason


def test_numbers_within_the_bound_are_read_where_they_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text(_record(extra=[1, 2.5, -3e10], digits=int("9" * MAX_JSON_NUMBER_CHARS)) + "\n", encoding="utf-8")
    [item] = read_articles([path])
    assert isinstance(item, Article)


# -- kind 12: lone surrogates blamed on the right field


@pytest.mark.parametrize("field", ["text", "title", "source", "url", "id", "published"])
@pytest.mark.parametrize("surrogate", ["\\ud800", "\\udfff", "\\udc00\\ud800"])
def test_a_lone_surrogate_is_blamed_on_its_own_field(tmp_path: Path, field: str, surrogate: str) -> None:
    values = {"text": ENGLISH, "title": "Talks", "source": "Wire", "url": "https://example.org/a", "id": "a1", "published": "2026-03-10"}
    raw = json.dumps(values)
    old = json.dumps(values[field])
    raw = raw.replace(old, old[:-1] + f" {surrogate}" + '"', 1)
    [skip] = _skips(_feed(tmp_path, raw))
    assert skip.line == 2 and skip.reason.startswith(f"field {field!r}: a lone surrogate"), skip.reason
    skip.reason.encode("utf-8")  # the surrogate is shown escaped: the reason can be printed


def test_a_surrogate_pair_is_one_character_and_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text('{"text": "' + ENGLISH + ' \\ud83d\\ude00"}\n', encoding="utf-8")
    [item] = read_articles([path])
    assert isinstance(item, Article) and item.text.endswith("\U0001f600")


def test_article_from_text_names_the_field_of_a_lone_surrogate() -> None:
    with pytest.raises(ValueError, match="field 'title': a lone surrogate"):
        Article.from_text(ENGLISH, title="bad \ud800")


# -- kind 15: ids are strings, never coerced


@pytest.mark.parametrize(
    ("value", "found"),
    [("5", "number 5"), ("5.0", "number 5.0"), ("true", "boolean true"), ("false", "boolean false"), ("[5]", "array"), ('{"n": 5}', "object")],
)
def test_an_id_that_is_not_a_json_string_is_skipped_naming_the_field(tmp_path: Path, value: str, found: str) -> None:
    [skip] = _skips(_feed(tmp_path, '{"id": ' + value + ', "text": ' + json.dumps(ENGLISH) + "}"))
    assert skip.line == 2 and skip.reason == f"field 'id': expected a string, found {found}"


def test_ids_5_and_the_string_5_never_become_one_article(tmp_path: Path) -> None:
    path = tmp_path / "ids.jsonl"
    path.write_text(json.dumps({"id": "5", "text": ENGLISH}) + "\n" + json.dumps({"id": 5, "text": ENGLISH + " Other."}) + "\n", encoding="utf-8")
    first, second = read_articles([path])
    assert isinstance(first, Article) and first.id == "5"
    assert isinstance(second, Skipped) and second.line == 2 and "field 'id'" in second.reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (_record(id=""), "field 'id': empty"),
        (_record(id="   "), "field 'id': empty"),
        (_record(id="sha1:0123456789abcdef"), "field 'id': 'sha1:0123456789abcdef' has the form of an id derived from a text"),
        ('{"id": "a", "id": "b", "text": ' + json.dumps(ENGLISH) + "}", "field 'id': given more than once"),
        ('{"text": ' + json.dumps(ENGLISH) + ', "text": "Other words of the ministry."}', "field 'text': given more than once"),
        (_record(title=7), "field 'title': expected a string, found number 7"),
        (_record(published=20260310), "field 'published': expected a string, found number 20260310"),
        (_record(published="2026-13-45"), "field 'published': cannot read the date"),
    ],
    ids=["empty", "blank", "another-texts-sha1", "id-twice", "text-twice", "title-number", "published-number", "published-not-a-date"],
)
def test_other_ids_and_fields_that_would_merge_or_mislead_are_skipped(tmp_path: Path, line: str, reason: str) -> None:
    [skip] = _skips(_feed(tmp_path, line))
    assert skip.line == 2 and skip.reason.startswith(reason), skip.reason


def test_a_derived_id_given_with_its_own_text_is_read() -> None:
    article = Article.from_text(ENGLISH)
    assert Article.from_text(ENGLISH, id=article.id).id == article.id


def test_article_from_text_refuses_an_id_that_is_not_a_string() -> None:
    with pytest.raises(TypeError, match="field 'id': expected a string, found int"):
        Article.from_text(ENGLISH, id=5)  # type: ignore[arg-type]


# -- kind 2: bounded reads


def test_a_line_over_the_limit_is_skipped_without_being_held_and_the_rest_is_read(tmp_path: Path) -> None:
    path = _feed(tmp_path, _record(title="x" * 5_000), "y" * 20_000)  # the second has no JSON at all
    first, second = _skips(path, max_line_bytes=1_000)
    assert (first.line, second.line) == (2, 3)
    assert all("line too long" in s.reason and "1,000 bytes" in s.reason for s in (first, second))
    assert MAX_LINE_BYTES == 10 * 1024 * 1024  # the default, as documented


def test_a_last_line_over_the_limit_without_a_newline_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "tail.jsonl"
    path.write_bytes((json.dumps({"id": "first", "text": ENGLISH}) + "\n").encode() + b"z" * 50_000)
    first, last = read_articles([path], max_line_bytes=1_000)
    assert isinstance(first, Article) and isinstance(last, Skipped) and last.line == 2 and "line too long" in last.reason


def test_a_3_gb_single_line_file_is_refused_at_once(tmp_path: Path) -> None:
    huge = tmp_path / "huge.jsonl"
    with huge.open("wb") as f:
        f.truncate(3 * 2**30)  # sparse: nothing is written
    start = time.monotonic()
    [item] = read_articles([huge])
    assert isinstance(item, Skipped) and "too large" in item.reason
    assert time.monotonic() - start < 1.0


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_and_a_pipe_given_as_files_are_refused_at_once(tmp_path: Path) -> None:
    paths = [Path("/dev/zero")]
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.jsonl"
        os.mkfifo(fifo)  # reading it would wait for a writer for ever
        paths.append(fifo)
    start = time.monotonic()
    items = list(read_articles(paths))
    assert time.monotonic() - start < 1.0
    assert [type(i).__name__ for i in items] == ["Skipped"] * len(paths)
    assert all("not a regular file" in i.reason for i in items)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")
def test_a_file_whose_size_is_not_known_is_read_no_further_than_the_limit() -> None:
    # /proc files say they are 0 bytes long; the read itself is bounded
    [item] = read_articles(["/proc/self/status"], max_bytes=64)
    assert isinstance(item, Skipped) and "over the 64 bytes limit once read" in item.reason


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    folder = os.fsencode(tmp_path)
    name = os.path.join(folder, b"caf\xe9.txt")
    with open(name, "wb") as f:
        f.write(ENGLISH.encode())
    [item] = read_articles([tmp_path])
    assert isinstance(item, Article) and item.path is not None and item.path.endswith("caf\\xe9.txt")
    item.path.encode("utf-8")  # printable and storable


def test_an_html_page_over_its_limit_is_skipped_before_it_is_parsed(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    paragraph = f"<p>{ENGLISH}</p>\n"
    page.write_text("<html><body>" + paragraph * (MAX_HTML_BYTES // len(paragraph) + 1) + "</body></html>", encoding="utf-8")
    start = time.monotonic()
    [item] = read_articles([page])
    assert isinstance(item, Skipped) and "HTML page too large to parse" in item.reason
    assert time.monotonic() - start < 5.0  # parsing it would take minutes


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["text", "id", "title", "published", "source", "url", "x"]), inner, max_size=5),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(_JSON.map(json.dumps) | st.binary(max_size=200).map(lambda b: b.decode("utf-8", "surrogateescape")) | st.text(max_size=200), min_size=1, max_size=6))
def test_any_jsonl_line_is_one_article_or_one_skip_and_never_stops_the_file(tmp_path: Path, records: list[str]) -> None:
    lines = [r.replace("\n", " ").replace("\r", " ") for r in records]
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(line.encode("utf-8", "surrogateescape") for line in lines) + b"\n" + json.dumps({"id": "last", "text": ENGLISH}).encode() + b"\n")
    items = list(read_articles([path]))
    assert isinstance(items[-1], Article) and items[-1].id == "last"
    for item in items:
        if isinstance(item, Skipped):
            assert item.line is not None and "\n" not in str(item)
            str(item).encode("utf-8")  # printable
        else:
            assert isinstance(item.id, str) and item.id.strip()
            for value in (item.text, item.title, item.source, item.url, item.id):
                assert value is None or isinstance(value, str) and value.encode("utf-8")
