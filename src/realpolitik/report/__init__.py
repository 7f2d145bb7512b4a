"""The HTML report: one self-contained page of answers, charts, analyses and assumptions.

The page opens with a summary (the answers in sentences, what moves them, what to
watch and the model's track record), works offline (Plotly's JavaScript, the CSS and
the data are inlined) and prints, beside every number, the command that reproduces
it. It depends on results and the scenario only: analyses come in as their
``to_dict()`` output, and the track record is read from beside the scenario's file.

Example:
    >>> import realpolitik
    >>> from realpolitik.report import build_report
    >>> scenario = realpolitik.load("default")
    >>> page = build_report(scenario.run(runs=50, seed=1, horizon=10), scenario)
    >>> "realpolitik run russia-iran-2026 --runs 50 --seed 1 --horizon 10" in page
    True
"""

from realpolitik.report._build import build_report, write_report
from realpolitik.report._track import read_backtest_summary, track_record, track_record_path, write_track_record

__all__ = ["build_report", "read_backtest_summary", "track_record", "track_record_path", "write_report", "write_track_record"]
