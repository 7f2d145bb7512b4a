"""``ingest``, ``update`` and ``watch`` end to end, on a real DuckDB store."""

from __future__ import annotations

import datetime as dt
import json
import math
import shlex
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from realpolitik.cli import main

pytest.importorskip("spacy", reason="ingest needs spaCy (pip install 'realpolitik[news]')")

CONDEMNATION = "On March 10, 2026, Russia's foreign ministry condemned the Israeli strikes on Iran as a violation of international law."
PREDICTION = "Diplomats said Russia will likely veto any Security Council resolution that blames Iran."


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return _jsonl(
        tmp_path / "news.jsonl",
        [
            {"id": "a1", "text": CONDEMNATION, "published": "2026-03-10", "url": "https://example.org/a1", "title": "Moscow condemns"},
            {"id": "a2", "text": PREDICTION, "published": "2026-03-11"},
            {"id": "a3", "text": "   "},
        ],
    )


def test_ingest_stores_articles_events_and_only_present_observations(capsys, tmp_path: Path, news: Path) -> None:
    db = tmp_path / "news.duckdb"
    code, out, err = _cli(capsys, "ingest", str(news), "--db", str(db), "--json")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["article"]["id"] for r in records] == ["a1", "a2"]
    assert f"{news}:3" in err and "skipped" in err  # the empty record: a one-line reason, the rest goes on
    first = records[0]
    assert set(first["article"]) >= {"id", "path", "title", "published"}
    assert (first["stored"], first["undated"], first["unplaced"]) == ("added", False, 0)
    assert all(e["main"] for e in first["events"][:1]) and "warning:" not in err
    [event] = [e for e in first["events"] if "mfa_condemnation" in e["indicators"]]
    assert event["modality"] == "asserted" and event["source"] == "russia" and event["type"] == "ACCUSE"
    assert CONDEMNATION[event["start"] : event["end"]] == event["text"]
    veto = [e for r in records for e in r["events"] if "russian_veto" in e["indicators"]]
    assert veto and all(e["modality"] == "predicted" for e in veto)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT indicator, happened, reported, ingested_at FROM observations").fetchall()
    assert [(r[0], str(r[1]), str(r[2])) for r in rows] == [("mfa_condemnation", "2026-03-10", "2026-03-10")]
    assert rows[0][3] is not None  # the third clock: when it was ingested


def test_an_undated_article_is_said_on_stderr_and_placed_with_assume_date(capsys, tmp_path: Path) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text(CONDEMNATION.replace("On March 10, 2026, ", ""), encoding="utf-8")
    db = tmp_path / "news.duckdb"
    code, out, err = _cli(capsys, "ingest", str(undated), "--db", str(db), "--json", "--no-progress")
    assert code == 0, err
    record = json.loads(out)
    assert (record["stored"], record["undated"], record["unplaced"]) == ("added", True, 1)
    [warning] = [line for line in err.splitlines() if line.startswith("warning:")]
    assert str(undated) in warning and "could not be placed" in warning and "--assume-date" in warning
    code, out, err = _cli(capsys, "ingest", str(undated), "--db", str(db), "--no-progress")
    assert code == 0 and "observations not placed (undated)" in out and "warning:" in err  # said again while still unplaced
    code, _, err = _cli(capsys, "update", "--db", str(db), "--runs", "500", "--horizon", "20", "--no-progress")
    assert code == 1 and "no dated article" in err  # what could not be placed is not used
    code, out, err = _cli(capsys, "ingest", str(undated), "--db", str(db), "--json", "--no-progress", "--assume-date", "2026-03-11")
    assert code == 0 and "warning:" not in err, err
    record = json.loads(out)
    assert (record["stored"], record["undated"], record["unplaced"]) == ("new_version", True, 0)
    assert (record["article"]["published"], record["article"]["published_from"]) == ("2026-03-11", "assumed")
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT indicator, happened, happened_precision FROM observations").fetchall()
    assert [(r[0], str(r[1]), r[2]) for r in rows] == [("mfa_condemnation", "2026-03-11", "assumed")]
    code, out, err = _cli(capsys, "update", "--db", str(db), "--runs", "500", "--horizon", "20", "--json", "--no-progress")
    assert code == 0, err
    assert [o["indicator"] for o in json.loads(out)["observations"]] == ["mfa_condemnation"]  # placed: used
    code, _, err = _cli(capsys, "ingest", str(undated), "--db", str(db), "--assume-date", "March 11")
    assert code == 2 and "--assume-date: give a date as YYYY-MM-DD" in err


def test_ingesting_twice_adds_nothing_and_a_changed_text_is_a_new_version(capsys, tmp_path: Path, news: Path) -> None:
    db = tmp_path / "news.duckdb"
    assert _cli(capsys, "ingest", str(news), "--db", str(db))[0] == 0
    code, out, _ = _cli(capsys, "ingest", str(news), "--db", str(db), "--json")
    assert code == 0 and {json.loads(line)["stored"] for line in out.splitlines()} == {"duplicate"}
    changed = _jsonl(tmp_path / "changed.jsonl", [{"id": "a1-edited", "text": CONDEMNATION + " It called for restraint.", "published": "2026-03-10", "url": "https://example.org/a1"}])
    code, out, _ = _cli(capsys, "ingest", str(changed), "--db", str(db), "--json")
    assert json.loads(out)["stored"] == "new_version"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert con.execute("SELECT max(version) FROM articles WHERE url = 'https://example.org/a1'").fetchone()[0] == 2


def test_update_and_watch_read_the_store(capsys, tmp_path: Path, news: Path) -> None:
    db = tmp_path / "news.duckdb"
    assert _cli(capsys, "ingest", str(news), "--db", str(db))[0] == 0
    code, out, err = _cli(capsys, "update", "--db", str(db), "--runs", "2000", "--horizon", "30", "--json", "--no-progress")
    assert code == 0, err
    result = json.loads(out)
    assert [o["indicator"] for o in result["observations"]] == ["mfa_condemnation"]
    assert result["covered"] == ["2026-03-10", "2026-03-11"]
    assert 0 < result["ess"] <= 2000 and "realpolitik update" in result["command"]
    assert {q["id"] for q in result["questions"]} >= {"talks_accepted_by", "hormuz_disrupted"}
    moved = [q for q in result["questions"] if q["movers"] and q["movers"][0]["observation"] == "mfa_condemnation@2026-03-10"]
    assert moved  # the one observation is what moved the answers
    for q in result["questions"]:  # each change with its error, and whether it clears the noise
        assert q["delta"] == pytest.approx(q["after"]["value"] - q["before"]["value"])
        assert q["delta_se"] == pytest.approx(math.hypot(q["before"]["se"], q["after"]["se"]))
        assert q["beyond_noise"] == (q["delta_low"] > 0 or q["delta_high"] < 0)
    code, out, err = _cli(capsys, "watch", "--db", str(db), "--runs", "2000", "--horizon", "30", "--json", "--no-progress")
    assert code == 0, err
    ranked = json.loads(out)["indicators"]
    names = [w["indicator"] for w in ranked]
    assert "mfa_condemnation" not in names and "delegation_in_moscow" in names
    assert [w["value"] for w in ranked] == sorted((w["value"] for w in ranked), reverse=True)
    code, out, _ = _cli(capsys, "update", "--db", str(db), "--runs", "2000", "--horizon", "30", "--no-progress")
    assert code == 0 and "moved most by" in out and "change ± s.e." in out and "reproduce: realpolitik update" in out
    for verb, first in (("update", result), ("watch", json.loads(_cli(capsys, "watch", "--db", str(db), "--runs", "2000", "--horizon", "30", "--json", "--no-progress")[1]))):
        # the printed command, run against the same store, gives the same numbers
        words = shlex.split(first["command"])
        assert words[:2] == ["realpolitik", verb]
        code, again, err = _cli(capsys, *words[1:], "--db", str(db), "--json", "--no-progress")
        assert code == 0, err
        assert json.loads(again) == first


def test_bad_news_command_lines(capsys, tmp_path: Path) -> None:
    for verb in ("update", "watch"):
        code, _, err = _cli(capsys, verb, "--db", str(tmp_path / "none.duckdb"))
        assert code == 1 and "no news store" in err, verb
    code, _, err = _cli(capsys, "update", "--since", "last tuesday", "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "--since: give a date" in err
    for share in ("0", "1.5", "-0.2"):
        code, _, err = _cli(capsys, "update", "--threshold", share, "--db", str(tmp_path / "x.duckdb"))
        assert code == 2 and "--threshold" in err and "above 0 and at most 1" in err, share
    code, _, err = _cli(capsys, "ingest", str(tmp_path / "missing.txt"), "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "no such file" in err
    not_a_db = tmp_path / "not.duckdb"
    not_a_db.write_text("hello", encoding="utf-8")
    code, _, err = _cli(capsys, "update", "--db", str(not_a_db))
    assert code == 1 and "cannot open the news store" in err and "Traceback" not in err


@pytest.mark.slow
def test_a_killed_ingest_run_again_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    n = 150
    records = [
        {"id": f"n{i}", "published": f"2026-03-{10 + i % 15}", "text": f"Report {i}: on March {10 + i % 15}, 2026, Russia's foreign ministry condemned the strikes on Iran. Lavrov called officials in Qatar about case {i}."}
        for i in range(n)
    ]
    news = _jsonl(tmp_path / "many.jsonl", records)
    db = tmp_path / "news.duckdb"
    command = [sys.executable, "-m", "realpolitik", "ingest", str(news), "--db", str(db), "--json", "--no-progress"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    seen = 0
    deadline = time.monotonic() + 240
    while seen < 20 and time.monotonic() < deadline:  # some articles are in, most are not
        if proc.stdout.readline():
            seen += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert 20 <= seen < n
    with duckdb.connect(str(db), read_only=True) as con:
        partial = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert seen <= partial < n
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    stored = [json.loads(line)["stored"] for line in again.stdout.splitlines()]
    assert stored.count("duplicate") == partial and stored.count("added") == n - partial
    clean = tmp_path / "clean.duckdb"  # the same ingest, never interrupted
    assert subprocess.run([*command[:-4], "--db", str(clean), "--no-progress"], capture_output=True, timeout=600).returncode == 0

    def contents(path: Path) -> tuple[list, list, list]:
        with duckdb.connect(str(path), read_only=True) as con:
            return (
                con.execute("SELECT id, version, content_hash FROM articles ORDER BY id").fetchall(),
                con.execute("SELECT article, n, type, source, target, modality FROM events ORDER BY ALL").fetchall(),
                con.execute("SELECT article, event, indicator, happened, reported FROM observations ORDER BY ALL").fetchall(),
            )

    articles, events, observations = contents(db)
    assert len(articles) == n and len({a[0] for a in articles}) == n
    assert (articles, events, observations) == contents(clean)
    assert len(observations) >= n // 2


def test_no_news_is_an_error_for_update_and_the_prior_for_watch(capsys, monkeypatch, tmp_path: Path) -> None:
    from realpolitik.store import Store

    empty = tmp_path / "empty.duckdb"
    Store(empty).close()
    for now in ((), ("--now", "2026-03-12")):
        code, out, err = _cli(capsys, "update", "--db", str(empty), "--runs", "200", "--horizon", "10", "--no-progress", *now)
        assert code == 1 and out == "", err
        assert err.strip() == "error: the news store holds no dated article: nothing to update with"
    monkeypatch.setenv("REALPOLITIK_DB", str(tmp_path / "absent.duckdb"))  # no store at the default place
    for db in (("--db", str(empty)), ()):
        # no news: the default date is today, past the scenario's clock, which is an error that says so
        code, out, err = _cli(capsys, "watch", *db, "--runs", "200", "--horizon", "10", "--json", "--no-progress")
        assert code == 2 and out == "" and "outside russia-iran-2026's clock" in err and "give --as-of" in err
        code, out, err = _cli(capsys, "watch", *db, "--runs", "200", "--horizon", "10", "--as-of", "2026-03-12", "--json", "--no-progress")
        assert code == 0, err
        ranked = json.loads(out)
        assert ranked["now"] == "2026-03-12" and ranked["indicators"]  # ranked against the prior, as of that date
        assert "--as-of 2026-03-12" in ranked["command"]
    assert not (tmp_path / "absent.duckdb").exists()  # watch reads, never creates, the default store


def test_news_and_prices_after_the_as_of_date_change_no_answer(capsys, tmp_path: Path, news: Path) -> None:
    # the same store and price file, then poisoned with what came after the date: articles
    # reporting a closed Hormuz and a veto, and absurd closes; every answer stays bit-identical
    db, prices = tmp_path / "news.duckdb", tmp_path / "brent.csv"
    prices.write_text("Date,Price\n2026-03-09,96.1\n2026-03-10,97.3\n2026-03-11,95.2\n", encoding="utf-8")
    assert _cli(capsys, "ingest", str(news), "--db", str(db))[0] == 0
    ask = ["run", "--runs", "1500", "--horizon", "20", "--as-of", "2026-03-11", "--db", str(db), "--prices", f"brent={prices}", "--json", "--no-progress"]
    code, out, err = _cli(capsys, *ask)
    assert code == 0, err
    before = json.loads(out)
    future = _jsonl(
        tmp_path / "future.jsonl",
        [
            {"id": "f1", "text": "On March 12, 2026, Iran closed the Strait of Hormuz to all shipping.", "published": "2026-03-12"},
            {"id": "f2", "text": "On March 13, 2026, Russia vetoed the Security Council resolution on Iran.", "published": "2026-03-13"},
        ],
    )
    assert _cli(capsys, "ingest", str(future), "--db", str(db))[0] == 0
    with prices.open("a", encoding="utf-8") as f:
        f.write("2026-03-12,100000\n2026-03-13,not a price\n")
    code, out, err = _cli(capsys, *ask)
    assert code == 0, err
    after = json.loads(out)
    assert after["answers"] == before["answers"]
    assert after["conditioning"]["days"] == before["conditioning"]["days"]
    assert before["conditioning"]["ignored_future"] == 0 and after["conditioning"]["ignored_future"] >= 4  # 2 articles, their reports, 2 rows
    assert after["conditioning"]["prices"]["brent"]["points"] == 3 and after["run"]["as_of"] == "2026-03-11"
