"""``ingest``, ``update`` and ``watch`` against hostile input (issue 19): Ctrl-C during
an ingest, damaged and foreign stores, a ``--db`` under a file, and JSONL lines that
once stopped the batch. Every case ends with one line on stderr and an exit code of
1, 2 or 130, never a traceback, and the store holds whole articles only."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from realpolitik.cli import main
from realpolitik.ingest import Article, ArticleResult, Event, Mention
from realpolitik.store import NewObservation, Store

pytest.importorskip("spacy", reason="ingest needs spaCy (pip install 'realpolitik[news]')")

ENGLISH = "On March 10, 2026, Russia's foreign ministry condemned the Israeli strikes on Iran as a violation of international law."
INTERRUPTED = re.compile(r"interrupted: (?:(\d+) articles? stored in (.+) before the interruption, none half-written; run the same ingest again to add the rest|no article was stored(?: in (.+))?)")


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _records(n: int) -> list[dict]:
    return [
        {"id": f"n{i}", "published": f"2026-03-{10 + i % 15}", "text": f"Report {i}: on March {10 + i % 15}, 2026, Russia's foreign ministry condemned the strikes on Iran. Lavrov called officials in Qatar about case {i}."}
        for i in range(n)
    ]


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _rows(path: Path) -> dict[str, tuple[list, list, list]]:
    """Each stored article's mentions, events and observations, by its id."""
    with duckdb.connect(str(path), read_only=True) as con:
        ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
        out = {}
        for id in ids:
            key = f"{id}#1"
            out[id] = (
                con.execute("SELECT n, start_char, end_char, surface, actor FROM mentions WHERE article = ? ORDER BY n", [key]).fetchall(),
                con.execute("SELECT n, type, source, target, modality, date FROM events WHERE article = ? ORDER BY n", [key]).fetchall(),
                con.execute("SELECT event, indicator, happened, reported FROM observations WHERE article = ? ORDER BY ALL", [key]).fetchall(),
            )
        return out


# -- kind 4: Ctrl-C


@pytest.mark.slow
def test_ctrl_c_during_an_ingest_exits_130_saying_how_many_whole_articles_it_stored(tmp_path: Path, capsys) -> None:
    records = _records(300)
    news = _jsonl(tmp_path / "many.jsonl", records)
    clean = tmp_path / "clean.duckdb"  # the same ingest, never interrupted: what each article is
    assert _cli(capsys, "ingest", str(news), "--db", str(clean), "--no-progress", "--json")[0] == 0
    whole = _rows(clean)
    assert len(whole) == len(records) and all(events and observations for _, events, observations in whole.values())
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for wait in (0.0, 0.05, 0.2, 0.5, 1.0):  # after the first article is stored
        db = tmp_path / f"news-{wait}.duckdb"
        proc = subprocess.Popen(
            [sys.executable, "-m", "realpolitik", "ingest", str(news), "--db", str(db), "--json", "--no-progress"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        first = proc.stdout.readline()  # type: ignore[union-attr]
        assert first, proc.stderr.read().decode()  # type: ignore[union-attr]
        time.sleep(wait)
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=300)
        assert proc.returncode == 130, (wait, err.decode())
        line = _one_line(err.decode())
        said = INTERRUPTED.fullmatch(line)
        assert said and said.group(1), line
        stored = int(said.group(1))
        assert said.group(2) == str(db)
        with Store(db, read_only=True) as store:  # the store opens, reads through, and holds whole articles only
            store.check()
            assert store.counts()["articles"] == stored
        rows = _rows(db)
        assert 1 <= stored < len(records) and len(rows) == stored
        for id, article in rows.items():
            assert article == whole[id], id
        printed = [json.loads(x) for x in (first + rest).decode().splitlines()]  # whole lines only
        assert stored - 1 <= len(printed) <= stored  # (the last may be stored as Ctrl-C came, not yet printed)
        assert {p["article"]["id"] for p in printed} <= set(rows)


def test_ctrl_c_before_the_store_is_open_says_no_article_was_stored(capsys, monkeypatch, tmp_path: Path) -> None:
    import realpolitik.ingest as ingest

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "load_pipeline", interrupted)
    news = _jsonl(tmp_path / "news.jsonl", _records(3))
    code, _, err = _cli(capsys, "ingest", str(news), "--db", str(tmp_path / "news.duckdb"))
    assert code == 130 and _one_line(err) == "interrupted: no article was stored"
    assert not (tmp_path / "news.duckdb").exists()


def test_ctrl_c_while_the_third_article_is_written_says_two_were_stored(capsys, monkeypatch, tmp_path: Path) -> None:
    real = Store.add
    calls = []

    def add(self, result, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(result.article.id)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as Store.add raises it: the article rolled back
        return real(self, result, **kwargs)

    monkeypatch.setattr(Store, "add", add)
    news = _jsonl(tmp_path / "news.jsonl", _records(6))
    db = tmp_path / "news.duckdb"
    code, out, err = _cli(capsys, "ingest", str(news), "--db", str(db), "--json")
    assert code == 130, err
    assert _one_line(err) == f"interrupted: 2 articles stored in {db} before the interruption, none half-written; run the same ingest again to add the rest"
    assert [json.loads(x)["article"]["id"] for x in out.splitlines()] == ["n0", "n1"]
    monkeypatch.setattr(Store, "add", real)
    code, out, _ = _cli(capsys, "ingest", str(news), "--db", str(db), "--json")  # again: only the rest is added
    assert code == 0 and [json.loads(x)["stored"] for x in out.splitlines()] == ["duplicate"] * 2 + ["added"] * 4


# -- kind 7: damaged and foreign stores, --db under a file


def _result(n: int) -> ArticleResult:
    text = f"Russia condemned the strikes on Iran, report {n}. " + "The ministry said more. " * 40
    day = dt.date(2026, 3, 9 + n % 3)
    event = Event(
        type="ACCUSE", source="Russia", target="Iran", modality="asserted", claimant=None, date=day.isoformat(), date_precision="day",
        start=0, end=30, text=text[:30], confidence=0.8, trigger="condemned", trigger_start=7, trigger_end=16, indicators=("mfa_condemnation",),
    )  # fmt: skip
    return ArticleResult(Article.from_text(text, id=f"a{n}", published=day), (Mention(0, 6, "Russia", "Russia"),), (event,))


def _store(path: Path, n: int = 200) -> Path:
    """A store of ``n`` articles of the default scenario, written without spaCy, closed."""
    with Store(path) as store:
        for i in range(n):
            result = _result(i)
            store.add(result, scenario="russia-iran-2026", observations=[NewObservation(0, "mfa_condemnation", result.article.published, "day")])
    return path


def _block_of(path: Path, table: str) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return int(con.execute(f"SELECT min(block_id) FROM pragma_storage_info('{table}') WHERE block_id >= 0").fetchone()[0])  # type: ignore[index]


COMMANDS = {
    "update": ["update", "--runs", "200", "--horizon", "10", "--no-progress", "--as-of", "2026-03-12"],
    "watch": ["watch", "--runs", "200", "--horizon", "10", "--no-progress", "--as-of", "2026-03-12"],
    "ingest": ["ingest", "NEWS", "--no-progress"],
}


def _run(capsys, verb: str, db: Path, news: Path) -> tuple[int, str, str]:
    args = [str(news) if a == "NEWS" else a for a in COMMANDS[verb]]
    return _cli(capsys, *args, "--db", str(db))


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store(tmp_path_factory.mktemp("good") / "news.duckdb")


@pytest.mark.parametrize("verb", list(COMMANDS))
@pytest.mark.parametrize("damage", ["articles", "events", "observations", "mentions", "header", "cut-half", "cut-head"])
def test_a_damaged_store_is_one_line_naming_it_for_every_command(capsys, tmp_path: Path, good_store: Path, verb: str, damage: str) -> None:
    db = tmp_path / "news.duckdb"
    shutil.copy(good_store, db)
    size = db.stat().st_size
    if damage in ("cut-half", "cut-head"):
        os.truncate(db, size // 2 if damage == "cut-half" else 5000)
    else:
        offset = 100 if damage == "header" else 3 * 4096 + _block_of(good_store, damage) * 256 * 1024 + 200
        with db.open("r+b") as f:
            f.seek(offset)
            f.write(b"\xa5" * 64)
    news = _jsonl(tmp_path / "news.jsonl", _records(2))
    code, _, err = _run(capsys, verb, db, news)
    line = _one_line(err)
    assert code == 1 and line.startswith(f"error: {db}:") and ("news store" in line), line


def test_update_on_a_store_damaged_in_any_block_answers_or_says_so_in_one_line(capsys, tmp_path: Path, good_store: Path) -> None:
    # the primary key's index is read only by the queries that join on it: a damaged
    # index block is found by update's reading, not by the store's check
    blocks = (good_store.stat().st_size - 3 * 4096) // (256 * 1024)
    said = 0
    for block in range(blocks):
        db = tmp_path / f"block-{block}.duckdb"
        shutil.copy(good_store, db)
        with db.open("r+b") as f:
            f.seek(3 * 4096 + block * 256 * 1024 + 200)
            f.write(b"\xa5" * 64)
        code, _, err = _run(capsys, "update", db, tmp_path)
        assert "Traceback" not in err and code in (0, 1), err
        if code == 1:
            said += 1
            assert _one_line(err).startswith(f"error: {db}:"), err
    assert said >= 4


@pytest.mark.parametrize("verb", list(COMMANDS))
def test_a_db_under_a_regular_file_a_folder_or_a_pipe_is_a_usage_error(capsys, tmp_path: Path, verb: str) -> None:
    plain = tmp_path / "somefile.txt"
    plain.write_text("hello", encoding="utf-8")
    news = _jsonl(tmp_path / "news.jsonl", _records(2))
    cases = [(plain / "news.duckdb", "is a file, not a folder"), (plain / "a" / "b.duckdb", "is a file, not a folder"), (tmp_path, "is a folder")]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.duckdb")  # DuckDB would wait on it for ever
        cases.append((tmp_path / "pipe.duckdb", "not a regular file"))
    for db, says in cases:
        code, _, err = _run(capsys, verb, db, news)
        line = _one_line(err)
        assert code == 2 and line.startswith("error: --db:") and says in line, line
    assert plain.read_text(encoding="utf-8") == "hello"


@pytest.mark.parametrize("verb", list(COMMANDS))
def test_a_database_that_is_not_a_news_store_is_named_and_left_alone(capsys, tmp_path: Path, verb: str) -> None:
    db = tmp_path / "sales.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE sales (x INTEGER)")
    before = db.read_bytes()
    code, _, err = _run(capsys, verb, db, _jsonl(tmp_path / "news.jsonl", _records(2)))
    line = _one_line(err)
    assert code == 1 and line.startswith(f"error: {db}: not a news store"), line
    assert db.read_bytes() == before


def test_rows_no_ingest_writes_are_one_line_for_update(capsys, tmp_path: Path, good_store: Path) -> None:
    db = tmp_path / "news.duckdb"
    shutil.copy(good_store, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE observations SET confidence = 'nan'")
    code, _, err = _run(capsys, "update", db, tmp_path)
    line = _one_line(err)
    assert code == 1 and line.startswith(f"error: {db}:") and "confidence nan" in line, line


# -- kinds 5, 6, 12, 15 through the command line


def test_hostile_jsonl_lines_are_skipped_with_their_line_and_field_and_the_rest_is_stored(capsys, tmp_path: Path) -> None:
    good = json.dumps({"id": "good", "text": ENGLISH, "published": "2026-03-10"})
    lines = [
        good,
        '{"text": ' + json.dumps(ENGLISH) + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"text": ' + json.dumps(ENGLISH) + ', "x": ' + "9" * 5_000 + "}",
        '{"text": "' + ENGLISH + ' \\ud800", "published": "2026-03-10"}',
        '{"id": "5", "text": ' + json.dumps(ENGLISH + " It said so again.") + "}",
        '{"id": 5, "text": ' + json.dumps(ENGLISH + " It said so a third time.") + "}",
        '{"id": true, "text": ' + json.dumps(ENGLISH + " And a fourth.") + "}",
        json.dumps({"id": "last", "text": ENGLISH + " Last.", "published": "2026-03-11"}),
    ]
    news = tmp_path / "news.jsonl"
    news.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "news.duckdb"
    code, out, err = _cli(capsys, "ingest", str(news), "--db", str(db), "--json", "--no-progress")
    assert code == 0 and "Traceback" not in err, err
    skipped = err.splitlines()
    assert [s.split(": skipped: ")[0] for s in skipped] == [f"{news}:{n}" for n in (2, 3, 4, 6, 7)], skipped
    reasons = [s.split(": skipped: ")[1] for s in skipped]
    assert "nests" in reasons[0]
    assert reasons[1].startswith("field 'x': a number of 5,000 characters")
    assert reasons[2].startswith("field 'text': a lone surrogate")
    assert reasons[3] == "field 'id': expected a string, found number 5"
    assert reasons[4] == "field 'id': expected a string, found boolean true"
    assert [json.loads(x)["article"]["id"] for x in out.splitlines()] == ["good", "5", "last"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT id, version FROM articles ORDER BY id").fetchall() == [("5", 1), ("good", 1), ("last", 1)]
