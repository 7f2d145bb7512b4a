"""Which elements of a scenario can change an answer: a graph of what reads what.

An element that nothing leads from to a question is *decorative*: whatever it holds,
every run's answers are the same. ``check`` uses this to tell whether an inventory ID
is modelled or only cited (see docs/scenario-language.md, "Does an element matter?").

The graph has a node per parameter, variable, decision, option, interest, actor,
event, mechanism, indicator and question, plus one per data series that observes a
variable (``observed_by``). An edge ``A -> B`` means that what ``A`` holds or does can
change ``B``; the names an expression reads are the compiler's own list
(:attr:`realpolitik.expr.Expression.names`), never a reading of the text:

- a variable's ``initial``, a mechanism's ``update`` and ``when``, an event's
  ``hazard`` and ``when``, an option's ``utility`` and ``when``, a decision's
  ``rationality``, an interest's ``value`` and ``weight``, an indicator's ``observes``
  and a question's condition or value: every element it reads -> the element;
- an effect ``V: expr`` of an option or an event: what ``expr`` reads -> ``V`` (the
  value written), and the decision or event -> ``V`` (whether it is written). An
  actor foresees its options' effects (its interests read the state as each option
  would leave it), which needs no edge of its own: the interest reads ``V``, so what
  ``expr`` reads reaches the decision through ``V``;
- a mechanism -> its target; an option -> its decision; an interest and an actor ->
  each of the actor's decisions; a variable -> its data series.

Three statuses follow:

- **modelled**: a path leads to a question (a question is modelled itself); an
  indicator is modelled when something it reads is, for then its reports, or their
  absence, move the answers of runs conditioned on the news;
- **observed** (observed only): no path leads to a question, but one leads to a
  modelled indicator or to a series observing a variable something modelled writes
  (or, for an actor, a modelled indicator's news ``event`` names it as source or
  target: its names decide which news reports the indicator). Such an element
  changes no answer of a plain run; it changes what a report means, and so the
  answers of runs conditioned on news (``run --as-of``, ``update``);
- **decorative**: neither. Changing it leaves every run's outcome of a plain run
  bit-identical; in runs conditioned on news it changes answers by no more than the
  noise of resampling (the filter's weights it touches depend on nothing a question
  depends on).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from realpolitik.expr import Expression
from realpolitik.scenario._model import Model
from realpolitik.scenario._resolve import elements
from realpolitik.scenario._schema import ScenarioSpec
from realpolitik.scenario._yaml import format_path

__all__ = ["Node", "ElementReach", "Reach", "dependency_graph", "reach", "STATUSES"]

#: A node of the graph: its kind, then the keys that name it (an option: its decision
#: and its name; an interest: its actor and its name; anything else: its name).
Node = tuple[str, ...]

#: The statuses of an element, from the one that matters most.
STATUSES = ("modelled", "observed", "decorative")

#: The kind of element each named section of a scenario file holds.
SECTION_KINDS = {
    "parameters": "parameter",
    "variables": "variable",
    "mechanisms": "mechanism",
    "events": "event",
    "indicators": "indicator",
    "questions": "question",
}


@dataclass(frozen=True)
class ElementReach:
    """What one element of a scenario can change.

    Attributes:
        name: its key (an option ``decision.option``, an interest ``actor.interest``).
        kind: ``parameter``, ``variable``, ``actor``, ``interest``, ``decision``,
            ``option``, ``event``, ``mechanism``, ``indicator`` or ``question``.
        path: its field path in the file, as coverage names it (``variables.brent``).
        cites: the inventory IDs it cites.
        status: ``modelled``, ``observed`` (observed only) or ``decorative``.
        why: the reason for the status, in words.
        through: for ``observed``: the indicators (``indicator NAME``) and series
            (``series NAME``) through which it can move conditioned answers.
    """

    name: str
    kind: str
    path: str
    cites: tuple[str, ...]
    status: str
    why: str
    through: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Plain data for ``--json``."""
        return {"name": self.name, "kind": self.kind, "path": self.path, "cites": list(self.cites), "status": self.status, "why": self.why, "through": list(self.through)}


@dataclass(frozen=True)
class Reach:
    """The status of every element of a scenario that carries provenance.

    Example:
        >>> from realpolitik.scenario import load
        >>> s = load("default")
        >>> r = reach(s.spec, s.model)
        >>> {e.status for e in r.elements if e.kind == "question"}
        {'modelled'}
    """

    elements: tuple[ElementReach, ...]

    @property
    def decorative(self) -> tuple[ElementReach, ...]:
        """The elements from which no path leads to a question or to an indicator that matters."""
        return tuple(e for e in self.elements if e.status == "decorative")

    @property
    def observed_only(self) -> tuple[ElementReach, ...]:
        """The elements that change answers only through indicators, when conditioned on news."""
        return tuple(e for e in self.elements if e.status == "observed")

    def by_path(self) -> dict[str, str]:
        """Element path -> status."""
        return {e.path: e.status for e in self.elements}


def _named(model: Model) -> dict[str, Node]:
    """The node of each name an expression may read (clock names have none)."""
    out: dict[str, Node] = {}
    out.update({p.name: ("parameter", p.name) for p in model.parameters})
    out.update({v.name: ("variable", v.name) for v in model.variables})
    out.update({d.name: ("decision", d.name) for d in model.decisions})
    out.update({e.name: ("event", e.name) for e in model.events})
    return out


def dependency_graph(spec: ScenarioSpec, model: Model) -> dict[Node, frozenset[Node]]:
    """Each node -> the nodes it can change directly (see the module's docstring).

    Every element of ``spec`` and ``model`` has a node, with or without edges.

    Example:
        >>> from realpolitik.scenario import load
        >>> s = load("default")
        >>> g = dependency_graph(s.spec, s.model)
        >>> sorted(g[("parameter", "brent_daily_volatility")])
        [('mechanism', 'oil_price')]
    """
    named = _named(model)
    edges: dict[Node, set[Node]] = {}

    def node(n: Node) -> Node:
        edges.setdefault(n, set())
        return n

    def reads(e: Expression | None, into: Node) -> None:
        node(into)
        if e is not None:
            for name in e.names:
                if name in named:
                    edges[node(named[name])].add(into)

    for p in model.parameters:
        node(("parameter", p.name))
    for v in model.variables:
        var = node(("variable", v.name))
        reads(v.initial, var)
        if v.observed_by is not None:
            edges[var].add(node(("series", v.observed_by[0])))
    for aname, actor in spec.actors.items():
        node(("actor", aname))
        for iname in actor.interests:
            node(("interest", aname, iname))
        for dname, decision in actor.decisions.items():
            for oname in decision.options:
                node(("option", dname, oname))
    for d in model.decisions:
        dec = node(("decision", d.name))
        reads(d.rationality, dec)
        edges[node(("actor", d.actor))].add(dec)
        for i in d.interests:
            interest = ("interest", d.actor, i.name)
            reads(i.value, interest)
            reads(i.weight, interest)
            edges[interest].add(dec)
        for o in d.options:
            option = ("option", d.name, o.name)
            reads(o.utility, option)
            reads(o.when, option)
            edges[option].add(dec)
            for target, e in o.effects:
                var = node(("variable", target))
                edges[dec].add(var)
                reads(e, var)
    for ev in model.events:
        event = node(("event", ev.name))
        reads(ev.hazard, event)
        reads(ev.when, event)
        for target, e in ev.effects:
            var = node(("variable", target))
            edges[event].add(var)
            reads(e, var)
    for m in model.mechanisms:
        mech = node(("mechanism", m.name))
        reads(m.update, mech)
        reads(m.when, mech)
        edges[mech].add(node(("variable", m.target)))
    for ind in model.indicators:
        reads(ind.observes, ("indicator", ind.name))
    for q in model.questions:
        reads(q.expression, ("question", q.name))
    return {n: frozenset(out) for n, out in edges.items()}


def _reverse(graph: Mapping[Node, Iterable[Node]]) -> dict[Node, list[Node]]:
    back: dict[Node, list[Node]] = {n: [] for n in graph}
    for a, outs in graph.items():
        for b in outs:
            back.setdefault(b, []).append(a)
    return back


def _upstream(back: Mapping[Node, list[Node]], starts: Iterable[Node]) -> set[Node]:
    """The nodes from which a path leads to one of ``starts`` (``starts`` included)."""
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for prev in back.get(queue.popleft(), ()):
            if prev not in seen:
                seen.add(prev)
                queue.append(prev)
    return seen


def _node_of(path: tuple[object, ...]) -> Node | None:
    if len(path) == 2 and path[0] in SECTION_KINDS:
        return (SECTION_KINDS[str(path[0])], str(path[1]))
    if path[:1] != ("actors",):
        return None
    if len(path) == 2:
        return ("actor", str(path[1]))
    if len(path) == 4 and path[2] == "interests":
        return ("interest", str(path[1]), str(path[3]))
    if len(path) == 4 and path[2] == "decisions":
        return ("decision", str(path[3]))
    if len(path) == 6 and path[4] == "options":
        return ("option", str(path[3]), str(path[5]))
    return None


def _shown(n: Node) -> str:
    return f"{n[0]} {'.'.join(n[1:])}"


def reach(spec: ScenarioSpec, model: Model) -> Reach:
    """The status of every element of ``spec``: modelled, observed only or decorative.

    ``model`` is ``spec`` compiled (``Scenario.model``): its expressions say what they read.

    Example:
        >>> from realpolitik.scenario import load
        >>> s = load("default")
        >>> r = reach(s.spec, s.model)
        >>> r.by_path()["variables.brent"], r.by_path()["questions.brent_at_horizon"]
        ('modelled', 'modelled')
    """
    graph = dependency_graph(spec, model)
    back = _reverse(graph)
    questions = [n for n in graph if n[0] == "question"]
    modelled = _upstream(back, questions)
    # An observation matters when something it observes (a node upstream of it) matters.
    observations = [n for n in graph if n[0] in ("indicator", "series")]
    informative = [n for n in observations if _upstream(back, [n]) & modelled]
    modelled |= {n for n in informative if n[0] == "indicator"}
    through: dict[Node, list[Node]] = {}
    for obs in informative:
        for n in _upstream(back, [obs]) - modelled:
            through.setdefault(n, []).append(obs)
    # An actor's names pick the news that reports an indicator: a channel, not a read
    # (it must not make the indicator informative, hence not an edge of the graph).
    for ind in model.indicators:
        if ("indicator", ind.name) in informative and ind.event is not None:
            for who in dict.fromkeys((*ind.event.sources, *ind.event.targets)):
                actor = ("actor", who)
                if actor in graph and actor not in modelled and ("indicator", ind.name) not in through.get(actor, []):
                    through.setdefault(actor, []).append(("indicator", ind.name))
    out = []
    for path, element in elements(spec):
        n = _node_of(path)
        if n is None or n not in graph:
            continue
        name = ".".join(n[1:])
        cites = tuple(element.cites)
        where = format_path(path)
        if n in modelled:
            why = "observes what reaches a question" if n[0] == "indicator" else "reaches a question"
            out.append(ElementReach(name, n[0], where, cites, "modelled", why))
        elif n in through:
            shown = tuple(_shown(o) for o in through[n])
            why = f"reaches no question; it moves answers only through {', '.join(shown)}, when the runs are conditioned on news"
            out.append(ElementReach(name, n[0], where, cites, "observed", why, shown))
        else:
            if n[0] == "indicator":
                why = "reaches no question: it observes nothing that does"
            elif n[0] == "actor" and not spec.actors[n[1]].decisions:
                why = "reaches no question: it takes no decision"
            else:
                why = "reaches no question"
            out.append(ElementReach(name, n[0], where, cites, "decorative", why))
    return Reach(tuple(out))
