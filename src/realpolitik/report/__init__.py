"""The HTML report: one self-contained page of answers, charts, analyses and assumptions.

The page works offline (Plotly's JavaScript, the CSS and the data are inlined) and
prints, beside every number, the command that reproduces it. It depends on results
and the scenario only: analyses come in as their ``to_dict()`` output.

Example:
    >>> import realpolitik
    >>> from realpolitik.report import build_report
    >>> scenario = realpolitik.load("default")
    >>> page = build_report(scenario.run(runs=50, seed=1, horizon=10), scenario)
    >>> "realpolitik run russia-iran-2026 --runs 50 --seed 1 --horizon 10" in page
    True
"""

from realpolitik.report._build import build_report, read_backtest_summary, write_report

__all__ = ["build_report", "read_backtest_summary", "write_report"]
