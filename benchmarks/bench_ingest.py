"""Benchmark ingest's throughput against spaCy's own parse of the same texts.

    .venv/bin/python benchmarks/bench_ingest.py [--data FILE] [--limit N] [--batch-size B] [--chunk C]

On the BBC News corpus (2,225 articles, ``../shared/data/news/bbc/bbc_news_2225.jsonl``),
in one process and with one pipeline:

1. The full extract: ``extract(read_articles([file]), nlp)``: reading and checking the
   JSONL, the parse, actor mentions, events with modality and dates; every result is
   consumed.
2. spaCy alone: ``nlp.pipe`` over the same texts (already in memory), nothing else.

Both use the same batch size; a short warm-up precedes each. The full extract runs
first, so it also pays for spaCy's vocabulary growing over the new words, and spaCy
alone then finds it warm: the ratio leans against ingest, if anything. The figures are
articles per second of each and their ratio (the full extract's throughput over
spaCy's; the target is at least 0.7). Memory: the resident set size (``VmRSS``) is
sampled after every ``--chunk`` articles of each run; for each, the peak over the first
quarter of the corpus is compared with the peak over the last quarter (flat: about 1),
and so are the medians, so the extract's profile can be read beside spaCy's own. Writes ``results/ingest.json``
(``results/ingest-limit.json`` with ``--limit``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

from realpolitik._atomic import atomic_path
from realpolitik.ingest import ArticleResult, extract, load_pipeline, read_articles

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "news" / "bbc" / "bbc_news_2225.jsonl"
WARM_UP = 20


def rss_mib() -> float:
    """The resident set size of this process now, in MiB (Linux ``/proc``; else the peak from ``resource``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def spacy_alone(nlp, texts: list[str], batch_size: int, chunk: int) -> tuple[float, list[tuple[int, float]]]:
    """Seconds for ``nlp.pipe`` over ``texts``, and (articles done, RSS MiB) samples."""
    for _ in nlp.pipe(texts[:WARM_UP], batch_size=batch_size):
        pass
    samples: list[tuple[int, float]] = [(0, rss_mib())]
    start = time.perf_counter()
    for done, _ in enumerate(nlp.pipe(texts, batch_size=batch_size), start=1):
        if done % chunk == 0:
            samples.append((done, rss_mib()))
    seconds = time.perf_counter() - start
    samples.append((len(texts), rss_mib()))
    return seconds, samples


def quarters(samples: list[tuple[int, float]]) -> dict[str, object]:
    """Peak and median RSS over the first and the last quarter of the articles, and the ratios.

    The peak after a chunk depends on the longest texts of the batches just parsed (the
    corpus is ordered by category, and its tech articles are the longest), so the median
    is given beside it: a leak raises both, a long batch only the peak.
    """
    total = samples[-1][0]
    quarter = max(1, total // 4)
    first = [rss for done, rss in samples[1:] if done <= quarter] or [samples[0][1]]
    last = [rss for done, rss in samples[1:] if done >= total - quarter]
    return {
        "rss_mib_first_quarter_peak": round(max(first), 1),
        "rss_mib_last_quarter_peak": round(max(last), 1),
        "peak_last_over_first": round(max(last) / max(first), 3),
        "rss_mib_first_quarter_median": round(statistics.median(first), 1),
        "rss_mib_last_quarter_median": round(statistics.median(last), 1),
        "median_last_over_first": round(statistics.median(last) / statistics.median(first), 3),
        "samples": [[done, round(rss, 1)] for done, rss in samples],
    }


def full_extract(nlp, path: Path, limit: int | None, batch_size: int, chunk: int) -> tuple[float, int, int, list[tuple[int, float]]]:
    """Seconds for the whole extract; articles, events, and (articles done, RSS MiB) samples."""
    for _ in extract(_take(read_articles([path]), WARM_UP), nlp, batch_size=batch_size):
        pass
    samples: list[tuple[int, float]] = [(0, rss_mib())]
    articles = events = 0
    start = time.perf_counter()
    for item in extract(_take(read_articles([path]), limit), nlp, batch_size=batch_size):
        if isinstance(item, ArticleResult):
            articles += 1
            events += len(item.events)
            if articles % chunk == 0:
                samples.append((articles, rss_mib()))
    seconds = time.perf_counter() - start
    samples.append((articles, rss_mib()))
    return seconds, articles, events, samples


def _take(items, limit: int | None):
    for i, item in enumerate(items):
        if limit is not None and i >= limit:
            return
        yield item


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the BBC JSONL file (default: ../shared/data/news/bbc/bbc_news_2225.jsonl)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--batch-size", type=int, default=32, help="articles per nlp.pipe batch (both runs; default 32)")
    parser.add_argument("--chunk", type=int, default=100, help="articles between memory samples (default 100)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data}: not found; pass --data", file=sys.stderr)
        return 2

    nlp = load_pipeline()
    texts = [json.loads(line)["text"] for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit is not None:
        texts = texts[: args.limit]
    words = sum(len(t.split()) for t in texts)

    seconds, articles, events, samples = full_extract(nlp, args.data, args.limit, args.batch_size, args.chunk)
    spacy_seconds, spacy_samples = spacy_alone(nlp, texts, args.batch_size, args.chunk)
    memory, spacy_memory = quarters(samples), quarters(spacy_samples)
    result = {
        "corpus": str(args.data.name),
        "articles": articles,
        "words": words,
        "events": events,
        "batch_size": args.batch_size,
        "full_extract": {"seconds": round(seconds, 2), "articles_per_second": round(articles / seconds, 2), "memory": memory},
        "spacy_alone": {"seconds": round(spacy_seconds, 2), "articles_per_second": round(len(texts) / spacy_seconds, 2), "memory": spacy_memory},
        "ratio_to_spacy": round((articles / seconds) / (len(texts) / spacy_seconds), 3),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "spacy": version("spacy"),
            "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
            "pipeline": list(nlp.pipe_names),
            "date": dt.date.today().isoformat(),
        },
    }
    out = HERE / "results" / ("ingest.json" if args.limit is None else "ingest-limit.json")
    out.parent.mkdir(exist_ok=True)
    with atomic_path(out) as tmp:
        tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"ingest throughput: {articles} BBC articles, {words:,} words, batch {args.batch_size}")
    for column in ("run", "seconds", "art/s", "× spaCy", "RSS peak ¼1→¼4 MiB", "RSS median ¼1→¼4 MiB"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for name, secs, n, ratio, mem in (
        ("full extract", seconds, articles, f"{result['ratio_to_spacy']:.2f}", memory),
        ("spaCy alone", spacy_seconds, len(texts), "1.00", spacy_memory),
    ):
        table.add_row(
            name,
            f"{secs:.1f}",
            f"{n / secs:.1f}",
            ratio,
            f"{mem['rss_mib_first_quarter_peak']:.0f}→{mem['rss_mib_last_quarter_peak']:.0f}",
            f"{mem['rss_mib_first_quarter_median']:.0f}→{mem['rss_mib_last_quarter_median']:.0f}",
        )
    Console().print(table)
    print(f"events: {events}; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
