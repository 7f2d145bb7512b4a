"""Benchmark ingest's throughput against spaCy's own parse of the same texts.

    .venv/bin/python benchmarks/bench_ingest.py [--data FILE] [--limit N] [--batch-size B] [--chunk C] [--seed S | --no-shuffle]

On the BBC News corpus (2,225 articles, ``../shared/data/news/bbc/bbc_news_2225.jsonl``),
in one process and with one pipeline:

1. The full extract: ``extract(read_articles([file]), nlp)``: reading and checking the
   JSONL, the parse, actor mentions, events with modality and dates; every result is
   consumed.
2. spaCy alone: ``nlp.pipe`` over the same texts (already in memory), nothing else.

The articles are taken in a seeded random order (the file is ordered by category, with
the longest articles last, which would make the last quarter look heavier), written
to a temporary JSONL file for the reader. Both use the same batch size. The runs alternate by blocks of ``--chunk`` articles,
swapping which goes first each block, so that the load of a shared machine falls on
both alike. A short warm-up precedes them, and all texts are run through the tokenizer
once before either, so that neither pays alone for spaCy's vocabulary growing over
new words. The figures are
articles per second of each and their ratio (the full extract's throughput over
spaCy's; the target is at least 0.7). Memory: the resident set size (``VmRSS``) is
sampled after every block of each run; for each, the peak over the first
quarter of the corpus is compared with the peak over the last quarter (flat: about 1),
and so are the medians, so the extract's profile can be read beside spaCy's own. Writes ``results/ingest.json``
(``results/ingest-limit.json`` with ``--limit``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from itertools import islice
from pathlib import Path

from realpolitik._atomic import atomic_path
from realpolitik.ingest import Article, ArticleResult, extract, load_pipeline, read_articles

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


def quarters(samples: list[tuple[int, float]]) -> dict[str, object]:
    """Peak and median RSS over the first and the last quarter of the articles, and the ratios.

    The peak after a block depends on the longest texts just parsed (the corpus is
    ordered by category, and its tech articles are the longest), so the median is given
    beside it: a leak raises both, a long batch only the peak.
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


@dataclass
class Run:
    """What one of the two runs has done so far."""

    seconds: float = 0.0
    articles: int = 0
    events: int = 0
    samples: list[tuple[int, float]] = field(default_factory=list)


def timed_block(run: Run, work: Callable[[], tuple[int, int]]) -> None:
    start = time.perf_counter()
    articles, events = work()
    run.seconds += time.perf_counter() - start
    run.articles += articles
    run.events += events
    run.samples.append((run.articles, rss_mib()))


def benchmark(nlp, path: Path, texts: list[str], *, batch_size: int, block: int) -> tuple[Run, Run]:
    """Time the full extract and spaCy alone, block by block, alternating which goes first.

    The machine's load drifts (other processes share it); alternating blocks of
    ``block`` articles exposes both runs to the same drift, and swapping their order
    each block cancels any advantage of going second (warm caches).
    """
    reader = read_articles([path])
    full, alone = Run(samples=[(0, rss_mib())]), Run(samples=[(0, rss_mib())])

    def extract_block() -> tuple[int, int]:
        articles = events = 0
        for item in extract(islice(reader, block), nlp, batch_size=batch_size):
            if isinstance(item, ArticleResult):
                articles += 1
                events += len(item.events)
        return articles, events

    for number, first in enumerate(range(0, len(texts), block)):
        chunk = texts[first : first + block]

        def spacy_block(chunk: list[str] = chunk) -> tuple[int, int]:
            for _ in nlp.pipe(chunk, batch_size=batch_size):
                pass
            return len(chunk), 0

        pair = [(full, extract_block), (alone, spacy_block)]
        for run, work in pair if number % 2 == 0 else pair[::-1]:
            timed_block(run, work)
    return full, alone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the BBC JSONL file (default: ../shared/data/news/bbc/bbc_news_2225.jsonl)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--batch-size", type=int, default=32, help="articles per nlp.pipe batch (both runs; default 32)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the shuffled article order (default 0); --no-shuffle keeps the file's order")
    parser.add_argument("--no-shuffle", action="store_true", help="keep the file's order (BBC is ordered by category, its longest articles last)")
    parser.add_argument("--chunk", type=int, default=100, help="articles per block: the runs alternate block by block, memory is sampled after each (default 100)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data}: not found; pass --data", file=sys.stderr)
        return 2

    nlp = load_pipeline()
    lines = [line for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not args.no_shuffle:
        random.Random(args.seed).shuffle(lines)
    if args.limit is not None:
        lines = lines[: args.limit]
    texts = [json.loads(line)["text"] for line in lines]
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / args.data.name
        corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return _run(args, nlp, corpus, texts, words)


def _run(args: argparse.Namespace, nlp, corpus: Path, texts: list[str], words: int) -> int:

    for _ in nlp.tokenizer.pipe(texts):  # the vocabulary learns every word now, for both runs alike
        pass
    warm = [Article.from_text(t, id=str(i)) for i, t in enumerate(texts[:WARM_UP])]
    for _ in extract(warm, nlp, batch_size=args.batch_size):
        pass
    for _ in nlp.pipe(texts[:WARM_UP], batch_size=args.batch_size):
        pass
    full, alone = benchmark(nlp, corpus, texts, batch_size=args.batch_size, block=args.chunk)
    seconds, articles, events = full.seconds, full.articles, full.events
    spacy_seconds = alone.seconds
    memory, spacy_memory = quarters(full.samples), quarters(alone.samples)
    result = {
        "corpus": str(args.data.name),
        "order": "file" if args.no_shuffle else f"shuffled, seed {args.seed}",
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
