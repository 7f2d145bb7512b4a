"""The results of an ensemble run: answers, per-step summaries, sampled trajectories."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from realpolitik._output import ResultOutput
from realpolitik.engine._questions import Answer, pick_question

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["Results", "RunInfo"]


@dataclass(frozen=True)
class RunInfo:
    """What reproduces a run: scenario (and its hash), seed, runs, horizon, version."""

    scenario: str
    scenario_name: str
    sha256: str
    seed: int
    runs: int
    horizon_days: int
    step_days: int
    start: dt.date
    version: str
    #: the step that simulated the runs: ``numpy`` or ``numba`` (their continuous
    #: values agree to 1e-9 relative, not to the bit)
    step: str = "numpy"
    #: the options that condition the run on what was observed by a date
    #: (``--as-of DATE --db STORE --prices NAME=CSV``), empty for an unconditioned run
    conditioning: str = ""

    @property
    def command(self) -> str:
        """The command line that reproduces these results (bit for bit: it names the
        step when the default backend might choose another for this ensemble)."""
        return f"realpolitik run {shlex.quote(self.scenario)} {self.options()}"

    def options(self) -> str:
        """``--runs``, ``--seed``, ``--horizon`` and, when the default backend might
        choose another step for this ensemble, ``--backend``: what every command that
        runs this ensemble needs to reproduce it."""
        options = f"--runs {self.runs} --seed {self.seed} --horizon {self.horizon_days}"
        return " ".join(part for part in (options, self.conditioning, self.backend_option()) if part)

    def backend_option(self) -> str:
        """``--backend numba`` or ``--backend numpy`` where the default backend might
        choose the other step for an ensemble of this size (the two agree to 1e-9
        relative, not to the bit), else nothing."""
        from realpolitik.engine._backends import AUTO_RUN_STEPS

        if self.step != "numpy" or self.runs * (self.horizon_days // self.step_days) >= AUTO_RUN_STEPS:
            return f"--backend {self.step}"
        return ""

    @property
    def provenance(self) -> str:
        """The command with the scenario's hash and the package version."""
        return f"{self.command}  # scenario sha256:{self.sha256[:16]}, realpolitik {self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "scenario_name": self.scenario_name,
            "sha256": self.sha256,
            "seed": self.seed,
            "runs": self.runs,
            "horizon_days": self.horizon_days,
            "step_days": self.step_days,
            "start": self.start.isoformat(),
            "version": self.version,
            "step": self.step,
            "as_of": self.start.isoformat() if self.conditioning else None,
            "command": self.command,
        }


def effective_runs(conditioning: Mapping[str, Any] | None, runs: int) -> float | None:
    """How many independent runs an ensemble conditioned on observations is worth: the
    filter's smallest effective sample size over its days (after a resampling, copies
    of one run share its history), when below ``runs``; None for runs not conditioned.

    Example:
        >>> effective_runs({"days": [{"ess": 900.0}, {"ess": 70.0}]}, 1000), effective_runs(None, 1000)
        (70.0, None)
    """
    days = (conditioning or {}).get("days") or []
    sizes = [float(d["ess"]) for d in days if isinstance(d, dict) and d.get("ess") is not None]
    return min(sizes) if sizes and min(sizes) < runs else None


@dataclass(frozen=True)
class Results(ResultOutput):
    """Answers and summaries of one ensemble run.

    Attributes:
        info: what reproduces the run.
        answers: one answer per question, in the scenario's order.
        days: the day of every recorded step (0 is the start).
        steps: (element, statistic) -> one value per recorded step.
        trajectories: element -> array (steps, kept runs) of the first runs' paths.
        aliases: inventory ID -> element name, for look-ups such as ``summary("V2")``.
        outcomes: question -> each run's outcome on the question's date (1.0/0.0 for
            whether the condition held, or the value), for paired comparisons.
        checkpoint_outcomes: question -> checkpoint day -> each run's outcome then.
        parameters: parameter -> each run's value.
        scores: score -> each run's sum (see :class:`realpolitik.engine.Score`).
    """

    info: RunInfo
    answers: tuple[Answer, ...]
    days: tuple[int, ...]
    steps: dict[tuple[str, str], np.ndarray] = field(repr=False)
    trajectories: dict[str, np.ndarray] = field(repr=False)
    aliases: dict[str, str] = field(default_factory=dict, repr=False)
    outcomes: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    checkpoint_outcomes: dict[str, dict[int, np.ndarray]] = field(default_factory=dict, repr=False)
    parameters: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    scores: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    #: what the ensemble was conditioned on before it ran from its start date (the
    #: as-of date): observations used, ignored as future or outside the clock, and the
    #: filter's diagnostics per observed day; None: it ran from the scenario's start
    conditioning: dict[str, Any] | None = field(default=None, repr=False)
    #: for conditioned runs, each run's cluster of correlated runs (the independent
    #: filter it came from, or its ancestor at the start: ``Origin.lineage``), which
    #: paired comparisons count as the answers do; None otherwise
    lineage: np.ndarray | None = field(default=None, repr=False)

    @property
    def command(self) -> str:
        """The command line that reproduces these results."""
        return self.info.command

    @property
    def effective_runs(self) -> float | None:
        """How many independent runs conditioned runs are worth (see
        :func:`effective_runs`); None for runs not conditioned, or worth all of them."""
        return effective_runs(self.conditioning, self.info.runs)

    def answer(self, question: str) -> Answer:
        """The answer to a question, by its name or an inventory ID it cites (``Q2``);
        ``KeyError`` names the questions an ID cited by several could mean."""
        return pick_question(self.answers, question)

    def dates(self) -> list[dt.date]:
        """The date of every recorded step."""
        return [self.info.start + dt.timedelta(days=d) for d in self.days]

    def summary(self, element: str) -> pd.DataFrame:
        """Per-step statistics of one element (by name or inventory ID), indexed by date."""
        import pandas as pd

        name = self.aliases.get(element, element)
        columns = {stat: values for (n, stat), values in self.steps.items() if n == name}
        if not columns:
            known = sorted({n for n, _ in self.steps})
            raise KeyError(f"no summaries for {element!r} (elements: {', '.join(known)})")
        frame = pd.DataFrame(columns, index=pd.Index(self.dates(), name="date"))
        frame.insert(0, "day", list(self.days))
        return frame

    def to_pandas(self) -> pd.DataFrame:
        """One row per question: estimate, standard error, interval, date."""
        import pandas as pd

        rows = []
        for a in self.answers:
            row = {
                "question": a.question,
                "cites": ",".join(a.cites),
                "kind": a.kind,
                "date": a.date,
                "day": a.day,
                "estimate": a.estimate.value,
                "se": a.estimate.se,
                "low": a.estimate.low,
                "high": a.estimate.high,
                "status": a.status,
            }
            for q, e in a.quantiles.items():
                row[f"q{round(q * 100):02d}"] = e.value
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``--json`` prints)."""
        out: dict[str, Any] = {"run": self.info.to_dict(), "answers": [a.to_dict() for a in self.answers]}
        if self.conditioning is not None:
            out["conditioning"] = {k: v for k, v in self.conditioning.items() if k != "options"}
        return out


    def to_arrow(self) -> pa.Table:
        """Answers and per-step summaries as one long table.

        Columns: ``record`` (``answer``, ``checkpoint`` or ``step``), ``id`` (question or
        element name), ``cites``, ``stat``, ``day``, ``date``, ``value``. The run's
        reproducing command, seed, runs and scenario hash are in the schema metadata.
        """
        import pyarrow as pa

        record: list[str] = []
        ids: list[str] = []
        cites: list[str] = []
        stats: list[str] = []
        days: list[int] = []
        values: list[float] = []

        def add(rec: str, id_: str, cite: str, stat: str, day: int, value: float) -> None:
            record.append(rec)
            ids.append(id_)
            cites.append(cite)
            stats.append(stat)
            days.append(day)
            values.append(value)

        for a in self.answers:
            cite = ",".join(a.cites)
            for stat, v in a.estimate.to_dict().items():
                add("answer", a.question, cite, stat, a.day, v)
            for q, e in a.quantiles.items():
                add("answer", a.question, cite, f"q{round(q * 100):02d}", a.day, e.value)
            for c in a.checkpoints:
                for stat, v in c.estimate.to_dict().items():
                    add("checkpoint", a.question, cite, stat, c.day, v)
                for q, e in c.quantiles.items():
                    add("checkpoint", a.question, cite, f"q{round(q * 100):02d}", c.day, e.value)
        inverse: dict[str, list[str]] = {}
        for cid, name in self.aliases.items():
            inverse.setdefault(name, []).append(cid)
        for (name, stat), series in self.steps.items():
            cite = ",".join(sorted(inverse.get(name, [])))
            for day, v in zip(self.days, series.tolist()):
                add("step", name, cite, stat, day, v)
        start = self.info.start
        table = pa.table(
            {
                "record": pa.array(record, pa.string()),
                "id": pa.array(ids, pa.string()),
                "cites": pa.array(cites, pa.string()),
                "stat": pa.array(stats, pa.string()),
                "day": pa.array(days, pa.int32()),
                "date": pa.array([start + dt.timedelta(days=d) for d in days], pa.date32()),
                "value": pa.array(values, pa.float64()),
            }
        )
        meta = {f"realpolitik.{k}": str(v) for k, v in self.info.to_dict().items()}
        return table.replace_schema_metadata(meta)



