"""Reading articles: formats, metadata, stable ids, and every kind of bad input skipped with its reason."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from realpolitik.ingest import MAX_BYTES, Article, Skipped, read_articles

ENGLISH = "Russia condemned the strikes on Iran on Monday and said that it would host talks with the two sides."
FRENCH = "La Russie a condamné les frappes contre l'Iran lundi et a déclaré qu'elle accueillerait des négociations entre les deux parties."


def _one(path: Path) -> Article | Skipped:
    [item] = list(read_articles([path]))
    return item


def test_plain_text_keeps_the_text_and_takes_a_date_from_its_head(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2026-03-08 " + ENGLISH, encoding="utf-8")
    article = _one(path)
    assert isinstance(article, Article)
    assert article.text == path.read_text(encoding="utf-8")
    assert article.path == str(path)
    assert (article.published, article.published_from) == (dt.date(2026, 3, 8), "text")


def test_a_headline_line_becomes_the_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Russia condemns strikes\n\n" + ENGLISH, encoding="utf-8")
    assert _one(path).title == "Russia condemns strikes"


def test_a_text_without_a_date_has_none(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    article = _one(path)
    assert article.published is None and article.published_from is None


def test_html_main_text_title_and_date_come_from_the_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Moscow condemns strikes</title>"
        '<meta property="article:published_time" content="2026-03-09T10:00:00Z"></head>'
        "<body><nav>Home | World | Sport | Weather</nav><article><h1>Moscow condemns strikes</h1>"
        f"<p>{ENGLISH}</p><p>Officials in Moscow said the foreign ministry would issue a further statement on Tuesday.</p>"
        "</article><footer>Copyright notice and cookie settings</footer></body></html>",
        encoding="utf-8",
    )
    article = _one(path)
    assert isinstance(article, Article)
    assert article.title == "Moscow condemns strikes"
    assert (article.published, article.published_from) == (dt.date(2026, 3, 9), "metadata")
    assert ENGLISH in article.text
    assert "cookie" not in article.text and "Weather" not in article.text


def test_jsonl_records_carry_their_fields_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    records = [
        {"id": "a1", "text": ENGLISH, "title": "T", "published": "2026-03-10", "source": "wire", "url": "https://example.org/a1"},
        {"text": ENGLISH + " Again."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    first, second = read_articles([path])
    assert (first.id, first.title, first.published, first.source, first.url, first.line) == ("a1", "T", dt.date(2026, 3, 10), "wire", "https://example.org/a1", 1)
    assert second.id.startswith("sha1:") and second.line == 2


def test_bad_jsonl_lines_are_skipped_with_their_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "1", "text": ENGLISH}),  # (a JSON string: an id of 1 is refused, see test_hostile_input.py)
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "no-text"}),
        json.dumps({"text": ENGLISH, "published": "someday"}),
        json.dumps({"text": ENGLISH, "title": 7}),
        "",
        json.dumps({"text": FRENCH}),
        json.dumps({"id": "last", "text": ENGLISH}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_articles([path]))
    assert [type(i).__name__ for i in items] == ["Article", "Skipped", "Skipped", "Skipped", "Skipped", "Skipped", "Skipped", "Article"]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [s.line for s in skipped] == [2, 3, 4, 5, 6, 8]
    reasons = [s.reason for s in skipped]
    assert reasons[0].startswith("invalid JSON")
    assert "expected a JSON object" in reasons[1]
    assert "field 'text'" in reasons[2]
    assert "field 'published'" in reasons[3]
    assert "field 'title'" in reasons[4]
    assert reasons[5].startswith("not English")
    assert all(str(s).startswith(f"{path}:{s.line}: skipped: ") and "\n" not in str(s) for s in skipped)
    assert items[0].id == "1" and items[-1].id == "last"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t \n", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("latin1.txt", ENGLISH.replace("talks", "talks \u2014 caf\u00e9").encode("latin-1", errors="replace"), "not valid UTF-8"),
        ("french.txt", FRENCH.encode("utf-8"), "not English"),
        ("russian.txt", "Россия осудила удары по Ирану и предложила провести переговоры между сторонами.".encode(), "not English"),
    ],
)
def test_each_kind_of_bad_file_gets_a_one_line_reason_and_the_batch_goes_on(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, encoding="utf-8")
    first, second = read_articles([bad, good])
    assert isinstance(first, Skipped) and reason in first.reason and first.path == str(bad)
    assert "\n" not in str(first)
    assert isinstance(second, Article)


def test_a_huge_file_is_skipped_by_its_size_without_being_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: nothing is written, and reading it would fail the binary check anyway
    item = _one(huge)
    assert isinstance(item, Skipped) and "too large" in item.reason and "100 MB" in item.reason


def test_a_missing_path_is_skipped(tmp_path: Path) -> None:
    item = _one(tmp_path / "nowhere.txt")
    assert isinstance(item, Skipped) and item.reason == "no such file or directory"


def test_directories_are_read_recursively_in_sorted_order_skipping_other_kinds(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ENGLISH + " First.", encoding="utf-8")
    (tmp_path / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / ".hidden.txt").write_text(ENGLISH, encoding="utf-8")
    items = list(read_articles([tmp_path]))
    assert [Path(i.path).name for i in items] == ["a.txt", "c.png", "2.txt"]
    assert isinstance(items[1], Skipped) and "unsupported file type" in items[1].reason


def test_the_same_text_gets_the_same_id_and_a_changed_text_a_new_hash() -> None:
    a = Article.from_text(ENGLISH, url="https://example.org/x")
    b = Article.from_text(ENGLISH.replace(" ", "  ") + "\n", url="https://example.org/x")
    c = Article.from_text(ENGLISH + " Updated.", url="https://example.org/x")
    assert a.id == b.id and a.content_hash == b.content_hash
    assert c.id != a.id and c.content_hash != a.content_hash
    assert Article.from_text(ENGLISH, id="given").content_hash == a.content_hash


@given(st.text(min_size=1, max_size=200), st.lists(st.sampled_from([" ", "  ", "\n", "\t", "\r\n"]), min_size=1, max_size=5))
def test_ids_and_hashes_do_not_depend_on_whitespace(text: str, spaces: list[str]) -> None:
    spaced = spaces[0] + text.replace(" ", spaces[-1]) + spaces[0]
    assert Article.from_text(spaced).id == Article.from_text(text).id
    assert Article.from_text(spaced).content_hash == Article.from_text(text).content_hash


def test_a_published_string_that_is_not_a_date_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot read the date"):
        Article.from_text(ENGLISH, published="next Tuesday")
