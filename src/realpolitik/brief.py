"""The analyst's brief: run a scenario and its analyses, and write them as one HTML report.

A workflow over the pure layers: it runs the ensemble, the sensitivity analysis, the
ranking of what to watch and, when asked, a what-if and a scenario discovery, then
hands their results to :mod:`realpolitik.report`, which adds the scenario's track
record. It sits above ``analysis``, ``inference`` and ``report`` so that none of them
depends on another.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realpolitik.analysis import Comparison, Discovery, JudgementShares, SensitivityResult, discover, judgement_shares, sensitivity, what_if
from realpolitik.engine import Intervention, Results, run
from realpolitik.errors import Problem
from realpolitik.inference import Evidence, WatchResult, condition, conditioned_run, watch
from realpolitik.report import write_report
from realpolitik.scenario import Question, Scenario

__all__ = ["Brief", "write_brief"]

#: ``progress(stage, done, total)``: the stage is ``filter``, ``run``, ``watch``, ``sensitivity``, ``whatif`` or ``discover``.
StageProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Brief:
    """What went into a report.

    Attributes:
        warnings: what the report left out and why: a source whose file lies outside
            the folders the scenario may read (its text is not in the report).
        watch: the indicators ranked by what watching them would do to the answers
            (the summary's list of what to watch), if ranked.
    """

    path: Path
    results: Results
    sensitivity: SensitivityResult | None
    whatif: Comparison | None
    discovery: Discovery | None
    warnings: tuple[Problem, ...] = ()
    watch: WatchResult | None = None
    #: each answer's share of variance resting on judgement (the answers table shows it)
    judgement: JudgementShares | None = None


def write_brief(
    scenario: Scenario,
    path: str | Path,
    *,
    runs: int = 10_000,
    seed: int = 0,
    horizon: int | None = None,
    method: str = "morris",
    samples: int = 20,
    intervention: Intervention | None = None,
    outcome: str | None = None,
    by: int | None = None,
    sources: str | Path | None = None,
    allow: Sequence[str | Path] = (),
    backtest: Mapping[str, Any] | None = None,
    track_record: bool = True,
    rank_watch: bool = True,
    progress: StageProgress | None = None,
    evidence: Evidence | None = None,
    threshold: float = 0.5,
) -> Brief:
    """Run the scenario and its analyses and write the HTML report atomically.

    Args:
        method, samples: the sensitivity analysis (``morris`` screens many parameters
            cheaply; ``sobol`` gives variance shares but needs many samples); samples 0
            leaves it out.
        intervention: a what-if to include.
        outcome, by: a scenario discovery to include (the condition, and the day it
            must have held by).
        sources: a folder holding the source files, for the passages in the
            assumption table.
        allow: further folders the source files may be read from (``--allow-path``);
            a source found only outside the folders the scenario may read is left
            out of the report, unread, and named in ``Brief.warnings``.
        backtest: a backtest's ``to_dict()`` (e.g. read from ``realpolitik backtest
            --json``) to show as the track record, instead of the one kept beside the
            scenario.
        track_record: show the track record kept beside the scenario's file when no
            ``backtest`` is given (a scenario without one gets a note saying so).
        rank_watch: rank the indicators by what watching them would do to the
            answers (:func:`realpolitik.inference.watch`, one more ensemble of
            ``runs`` runs), for the summary's list of what to watch.
        evidence, threshold: what was observed by an as-of date: the answers, the
            watch ranking and the what-if go on from the ensemble filtered on it (the
            sensitivity analysis and the discovery stay on the prior ensemble from the
            scenario's start). Without it the indicators are ranked as of the
            scenario's start, against the prior (as ``realpolitik watch --as-of
            START`` does with no news store).

    Raises:
        ScenarioError: the intervention or outcome names what the scenario lacks.
    """

    def stage(name: str) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(name, done, total)

    # Fail on a bad intervention or outcome before the long work.
    warnings = tuple(scenario.source_problems(scenario.read_sources(sources=sources, allow=allow), severity="warning"))
    if intervention is not None:
        intervention.compile(scenario.model)
    if outcome is not None:
        scenario.with_questions({"outcome": Question(kind="probability", text=outcome, condition=outcome, by=by)}, origin="--outcome")
    conditioned = None
    if evidence is not None:
        conditioned = condition(scenario, evidence, runs=runs, seed=seed, threshold=threshold, progress=stage("filter"))
        results = conditioned_run(scenario, conditioned, horizon=horizon, progress=stage("run"))
    else:
        results = run(scenario, runs=runs, seed=seed, horizon=horizon, progress=stage("run"))
    shares = judgement_shares(scenario, results)
    ranked = None
    if rank_watch:
        # With no news, watch() ranks from the scenario's indicators' report
        # likelihoods, on the same runs and seed as the answers.
        observations = evidence if evidence is not None else ()
        now = None if evidence is not None else scenario.spec.clock.start
        ranked = watch(scenario, observations, now=now, runs=runs, seed=seed, horizon=horizon, threshold=threshold, progress=stage("watch"))
    indices = None
    if samples > 0:
        indices = sensitivity(scenario, method=method, samples=samples, seed=seed, horizon=horizon, progress=stage("sensitivity"))  # type: ignore[arg-type]
    comparison = None
    if intervention is not None and not intervention.empty:
        comparison = what_if(
            scenario, intervention, runs=runs, seed=seed, horizon=horizon, progress=stage("whatif"), evidence=evidence, threshold=threshold
        )
    found = None
    if outcome is not None:
        found = discover(scenario, outcome, by=by, runs=runs, seed=seed, horizon=horizon, progress=stage("discover"))
    written = write_report(
        path,
        results,
        scenario,
        whatif=None if comparison is None else comparison.to_dict(),
        sensitivity=None if indices is None else indices.to_dict(),
        discovery=None if found is None else found.to_dict(),
        backtest=backtest,
        watch=None if ranked is None else ranked.to_dict(),
        track_record=track_record,
        sources_dir=sources,
        allow=allow,
        judgement=shares.to_dict(),
    )
    return Brief(Path(written), results, indices, comparison, found, warnings, ranked, shares)
