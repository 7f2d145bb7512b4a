"""The local web page's requests mapped to JSON, without sockets.

:class:`ServeApp` takes a :class:`Request` (method, target, headers, body) and gives a
:class:`Response`; the HTTP server (``_server``) only moves bytes. Every answer is
what the library already computes: ``GET /api/answers`` is ``Results.to_json()``
(what ``realpolitik run --json`` prints), ``POST /api/whatif`` is
``Comparison.to_json()`` (``whatif --json``), ``GET /api/scenario`` is
``describe(scenario).to_dict()``, and the job ``update`` is
:func:`realpolitik.inference.update` (``update --json``).

Security: only requests whose ``Host`` is ``localhost`` or ``127.0.0.1`` are answered
(a page on another site cannot reach the server through DNS rebinding), a request
sent from another origin is refused, a body must be JSON (``Content-Type:
application/json``, so a cross-site form cannot post one without a preflight the
server never grants), at most :data:`MAX_BODY_BYTES` and :data:`MAX_JSON_DEPTH` deep,
and no file but the package's own static files is ever served.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from realpolitik._output import json_ready
from realpolitik.analysis import judgement_shares
from realpolitik.engine import Intervention, Results, run
from realpolitik.engine._intervention import MAX_DAY
from realpolitik.errors import Problem, RealpolitikError, ScenarioError
from realpolitik.inference import Evidence, run_as_of
from realpolitik.scenario import Scenario
from realpolitik.serve._jobs import JobBusy, Jobs

__all__ = [
    "HISTORY_DAYS",
    "MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_RUNS",
    "Request",
    "Response",
    "ServeApp",
    "ServeSettings",
]

logger = logging.getLogger(__name__)

#: The most runs a request may ask for (per arm, for a what-if).
MAX_RUNS = 200_000
#: The largest request body read, in bytes.
MAX_BODY_BYTES = 1_000_000
#: The deepest nesting of arrays and objects a request body may have.
MAX_JSON_DEPTH = 6
#: How far before the as-of date the observed history of a price series reaches
#: (from the scenario's start, when that is earlier).
HISTORY_DAYS = 120
#: The most stored observations ``/api/news`` lists (the newest).
MAX_NEWS_ROWS = 2_000

#: Host names a request may be addressed to (the server listens on 127.0.0.1 only).
_LOCAL_HOSTS = ("127.0.0.1", "localhost")
#: The results of the last few ensembles, kept for ``/api/paths`` after ``/api/answers``.
_CACHED_RUNS = 2
#: The files the page is made of: URL path -> (package file, content type).
_STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/app.css": ("app.css", "text/css; charset=utf-8"),
    "/static/plotly.min.js": (None, "text/javascript; charset=utf-8"),  # from the plotly package
}
#: The page runs only its own scripts; Plotly sets styles inline.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"))
#: A ``--set``/``--force``/``--force-event`` problem from :meth:`Intervention.compile`
#: names its flag; in a request body the field is the key.
_FLAG_FIELDS = {"--set": "set", "--force": "force", "--force-event": "force_events"}
_JOB_KINDS = ("answers", "whatif", "update")
_INTERVENTION_KEYS = ("set", "force", "force_events")


@dataclass(frozen=True)
class ServeSettings:
    """What the served page runs: the options of ``realpolitik serve``.

    Attributes:
        runs, seed: the ensemble's default size and seed (a request may give others).
        horizon: days to simulate (None: the scenario's).
        threshold: the filter's resampling threshold (as-of answers).
        evidence: what was observed by the as-of date (``--as-of``, ``--db``,
            ``--prices``); None: the runs start from the scenario's start.
        db: the news store the evidence was read from, for ``/api/news``.
    """

    runs: int = 2_000
    seed: int = 0
    horizon: int | None = None
    threshold: float = 0.5
    evidence: Evidence | None = None
    db: Path | None = None


@dataclass(frozen=True)
class Request:
    """One HTTP request as the app sees it.

    Attributes:
        method: ``GET``, ``POST``, ``DELETE``...
        target: the path and query as sent (``/api/answers?runs=500``).
        headers: header name (any case) -> value.
        body: the request's body (empty for a GET).
    """

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """A header's value, whatever the case of its name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


@dataclass(frozen=True)
class Response:
    """What the app answers: a status, a body and its content type (and headers)."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    def json(self) -> Any:
        """The body as JSON (for tests and programs)."""
        return json.loads(self.body)


class _Refused(Exception):
    """A request the app will not serve: its status and the JSON body that says why."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": message, **extra}


def _json_response(data: Any, status: int = 200) -> Response:
    text = json.dumps(json_ready(data), allow_nan=False)
    return Response(status, text.encode("utf-8"), headers=(("Cache-Control", "no-store"),))


class ServeApp:
    """The served scenario's page and API, as a function from requests to responses.

    Thread-safe: the HTTP server calls :meth:`handle` from one thread per request;
    ensembles run one at a time (a lock), jobs in threads of their own.

    Args:
        scenario: the loaded scenario the page is about.
        settings: the runs, seed, horizon and evidence of ``realpolitik serve``.

    Example:
        >>> from realpolitik.scenario import load
        >>> app = ServeApp(load("default"), ServeSettings(runs=50, horizon=10))
        >>> app.handle(Request("GET", "/api/answers?runs=0", {"Host": "127.0.0.1"})).json()
        {'error': 'runs: give a whole number from 1 to 200,000, not 0', 'field': 'runs'}
        >>> app.handle(Request("GET", "/static/../../etc/passwd", {"Host": "127.0.0.1"})).status
        404
    """

    def __init__(self, scenario: Scenario, settings: ServeSettings | None = None) -> None:
        self.scenario = scenario
        self.settings = settings or ServeSettings()
        self._compute = threading.Lock()
        self._jobs = Jobs(self._compute, _error_text)
        self._cache_lock = threading.Lock()
        self._cache: OrderedDict[tuple[int, int], Results] = OrderedDict()
        self._static: dict[str, bytes] = {}
        self._routes: dict[tuple[str, str], Callable[[Request, dict[str, str]], Response]] = {
            ("GET", "/api/settings"): self._get_settings,
            ("GET", "/api/scenario"): self._get_scenario,
            ("GET", "/api/answers"): self._get_answers,
            ("GET", "/api/paths"): self._get_paths,
            ("GET", "/api/news"): self._get_news,
            ("POST", "/api/whatif"): self._post_whatif,
            ("POST", "/api/jobs"): self._post_job,
        }

    # -- dispatch ---------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one request (never raises: a refusal or a failure is a JSON error)."""
        try:
            self._check_origin(request)
            if not request.target.startswith("/"):
                raise _Refused(400, "give the path of a page or an endpoint, starting with /")
            # the target is matched as sent, not resolved as a URL: "//host/..." is no page
            path, _, query = request.target.partition("#")[0].partition("?")
            if request.method == "GET" and path in _STATIC:
                if query:
                    raise _Refused(400, "the page's files take no query")
                return self._static_file(path)
            job = re.fullmatch(r"/api/jobs/([0-9a-f]{16})", path)
            if job is not None:
                return self._job(request, job.group(1))
            route = self._routes.get((request.method, path))
            if route is None:
                allowed = [m for m, p in self._routes if p == path]
                if allowed:
                    raise _Refused(405, f"{path} takes {', '.join(allowed)}, not {request.method[:20]}")
                raise _Refused(404, f"no such page or endpoint: {path[:200]}")
            return route(request, self._query(query))
        except _Refused as refused:
            return _json_response(refused.body, refused.status)
        except Exception as exc:  # noqa: BLE001 - one request failing never stops the server
            logger.exception("unexpected error serving %s %s", request.method, request.target[:200])
            return _json_response({"error": f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"}, 500)

    def close(self) -> None:
        """Cancel the running job and wait for it to stop."""
        self._jobs.close()

    def _check_origin(self, request: Request) -> None:
        host = request.header("Host")
        if host is None or _host_name(host) not in _LOCAL_HOSTS:
            raise _Refused(403, f"this server answers only requests to 127.0.0.1 or localhost, not to host {(host or '')[:100]!r}")
        origin = request.header("Origin")
        if origin is not None:
            site = urlsplit(origin)
            if site.scheme != "http" or _host_name(site.netloc) not in _LOCAL_HOSTS:
                raise _Refused(403, f"requests from another site ({origin[:100]!r}) are refused")
        fetched_from = request.header("Sec-Fetch-Site")
        if fetched_from is not None and fetched_from not in ("same-origin", "none"):
            raise _Refused(403, f"requests from another site (Sec-Fetch-Site: {fetched_from[:50]}) are refused")

    @staticmethod
    def _query(text: str) -> dict[str, str]:
        try:
            pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), max_num_fields=20)
        except ValueError as exc:
            raise _Refused(400, f"the query is malformed: {exc}") from None
        out: dict[str, str] = {}
        for key, value in pairs:
            if key in out:
                raise _Refused(400, f"{key[:50]}: given twice", field=key[:50])
            out[key] = value
        return out

    # -- the page's files -------------------------------------------------------

    def _static_file(self, path: str) -> Response:
        name, content_type = _STATIC[path]
        body = self._static.get(path)
        if body is None:
            if name is None:
                import plotly.offline

                body = plotly.offline.get_plotlyjs().encode("utf-8")
            else:
                body = resources.files("realpolitik.serve").joinpath("static", name).read_bytes()
            self._static[path] = body
        headers = [("Cache-Control", "no-cache")]
        if path == "/":
            headers.append(("Content-Security-Policy", _CSP))
        return Response(200, body, content_type, tuple(headers))

    # -- endpoints --------------------------------------------------------------

    def _get_settings(self, request: Request, query: dict[str, str]) -> Response:
        _only(query, ())
        s, clock = self.settings, self.scenario.spec.clock
        evidence = s.evidence
        return _json_response(
            {
                "scenario": self.scenario.label,
                "name": self.scenario.name,
                "runs": s.runs,
                "seed": s.seed,
                "horizon_days": clock.horizon_days if s.horizon is None else s.horizon,
                "step_days": clock.step_days,
                "start": clock.start.isoformat(),
                "as_of": None if evidence is None else evidence.as_of.isoformat(),
                "db": None if s.db is None else str(s.db),
                "prices": [] if evidence is None else [p.name for p in evidence.prices],
                "threshold": s.threshold,
                "max_runs": MAX_RUNS,
                "max_day": MAX_DAY,
            }
        )

    def _get_scenario(self, request: Request, query: dict[str, str]) -> Response:
        _only(query, ())
        try:
            from realpolitik.scenario import describe  # type: ignore[attr-defined]
        except ImportError:
            raise _Refused(501, "this version of realpolitik cannot describe a scenario (realpolitik.scenario.describe is missing)") from None
        return _json_response(describe(self.scenario).to_dict())

    def _get_answers(self, request: Request, query: dict[str, str]) -> Response:
        _only(query, ("runs", "seed"))
        runs, seed = self._runs_seed(query)
        results = self._locked(lambda: self._results(runs, seed, None))
        text = json.dumps(json_ready(self._answers(results)), indent=2)
        return Response(200, text.encode("utf-8") + b"\n", headers=(("Cache-Control", "no-store"),))

    def _get_paths(self, request: Request, query: dict[str, str]) -> Response:
        _only(query, ("runs", "seed"))
        runs, seed = self._runs_seed(query)
        results = self._locked(lambda: self._results(runs, seed, None))
        return _json_response(self._paths(results))

    def _get_news(self, request: Request, query: dict[str, str]) -> Response:
        _only(query, ())
        return _json_response(self._news())

    def _post_whatif(self, request: Request, query: dict[str, str]) -> Response:
        _only(query, ())
        body = _json_body(request)
        runs, seed = self._runs_seed(body)
        intervention = self._intervention({k: v for k, v in body.items() if k not in ("runs", "seed")})
        comparison = self._locked(lambda: self._what_if(intervention, runs, seed, None))
        return Response(200, comparison.to_json().encode("utf-8") + b"\n", headers=(("Cache-Control", "no-store"),))

    def _post_job(self, request: Request, query: dict[str, str]) -> Response:
        _only(query, ())
        body = _json_body(request)
        kind = body.get("kind")
        if kind not in _JOB_KINDS:
            raise _Refused(400, f"kind: give one of {', '.join(_JOB_KINDS)}, not {_short(kind)}", field="kind")
        runs, seed = self._runs_seed(body)
        rest = {k: v for k, v in body.items() if k not in ("kind", "runs", "seed")}
        work: Callable[[Callable[[int, int], None]], Any]
        if kind == "answers":
            _only(rest, ())
            work = lambda progress: self._answers(self._results(runs, seed, progress))  # noqa: E731
        elif kind == "whatif":
            intervention = self._intervention(rest)
            work = lambda progress: self._what_if(intervention, runs, seed, progress).to_dict()  # noqa: E731
        else:
            _only(rest, ("since",))
            since = self._since(rest.get("since"))
            work = lambda progress: self._update(since, runs, seed, progress).to_dict()  # noqa: E731
        try:
            state = self._jobs.start(kind, lambda progress: json_ready(work(progress)))
        except JobBusy as busy:
            raise _Refused(409, f"job {busy.job_id} is running: wait for it, or cancel it (DELETE /api/jobs/{busy.job_id})", id=busy.job_id) from None
        return _json_response(state, 202)

    def _job(self, request: Request, job_id: str) -> Response:
        if request.method == "GET":
            state = self._jobs.get(job_id)
        elif request.method == "DELETE":
            state = self._jobs.cancel(job_id)
        else:
            raise _Refused(405, f"a job takes GET or DELETE, not {request.method}")
        if state is None:
            raise _Refused(404, f"no job {job_id} (finished jobs are kept only for a while)")
        return _json_response(state)

    # -- the work ---------------------------------------------------------------

    def _locked(self, work: Callable[[], Any]) -> Any:
        """``work()`` under the compute lock, its errors as refusals."""
        with self._compute:
            return _guarded(work)

    def _answers(self, results: Results) -> dict[str, Any]:
        """What ``realpolitik run --json`` prints: the answers with each one's judgement share."""
        return judgement_shares(self.scenario, results).annotated(results.to_dict())

    def _results(self, runs: int, seed: int, progress: Callable[[int, int], None] | None) -> Results:
        """The served run with ``runs`` and ``seed`` (the last few are kept), as
        ``realpolitik run`` computes it."""
        key = (runs, seed)
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        s = self.settings
        if s.evidence is None:
            results = run(self.scenario, runs=runs, seed=seed, horizon=s.horizon, progress=progress)
        else:
            results = run_as_of(self.scenario, s.evidence, runs=runs, seed=seed, horizon=s.horizon, threshold=s.threshold, progress=progress)
        with self._cache_lock:
            self._cache[key] = results
            while len(self._cache) > _CACHED_RUNS:
                self._cache.popitem(last=False)
        return results

    def _what_if(self, intervention: Intervention, runs: int, seed: int, progress: Callable[[int, int], None] | None):  # type: ignore[no-untyped-def]
        from realpolitik.analysis import what_if

        s = self.settings
        return what_if(self.scenario, intervention, runs=runs, seed=seed, horizon=s.horizon, progress=progress, evidence=s.evidence, threshold=s.threshold)

    def _update(self, since: dt.date | None, runs: int, seed: int, progress: Callable[[int, int], None] | None):  # type: ignore[no-untyped-def]
        from realpolitik.inference import update

        s = self.settings
        assert s.evidence is not None  # checked when the job was asked for
        return update(self.scenario, s.evidence, since=since, runs=runs, seed=seed, horizon=s.horizon, threshold=s.threshold, progress=progress)

    def _paths(self, results: Results) -> dict[str, Any]:
        """Per-step statistics of every element of a run, and the observed history."""
        model = self.scenario.model
        kinds = [(v.name, v.kind, v.unit) for v in model.variables]
        kinds += [(d.name, "decision", None) for d in model.decisions]
        kinds += [(e.name, "event", None) for e in model.events]
        elements = []
        for name, kind, unit in kinds:
            stats = {stat: values.tolist() for (n, stat), values in results.steps.items() if n == name}
            if stats:
                elements.append({"id": name, "kind": kind, "unit": unit, "stats": stats})
        evidence = self.settings.evidence
        return {
            "run": results.info.to_dict(),
            "as_of": None if evidence is None else evidence.as_of.isoformat(),
            "days": list(results.days),
            "dates": [d.isoformat() for d in results.dates()],
            "elements": elements,
            "observed": self._observed(),
        }

    def _observed(self) -> list[dict[str, Any]]:
        """The price series' values up to the as-of date (from :data:`HISTORY_DAYS`
        before it, or the scenario's start when that is earlier), with the variable
        each observes."""
        evidence = self.settings.evidence
        if evidence is None:
            return []
        observed_by = {v.observed_by[0]: v.name for v in self.scenario.model.variables if v.observed_by is not None}
        since = min(self.scenario.spec.clock.start, evidence.as_of - dt.timedelta(days=HISTORY_DAYS))
        out = []
        for series in evidence.prices:
            kept = [(d, v) for d, v in zip(series.dates, series.values) if since <= d <= evidence.as_of]
            out.append(
                {
                    "series": series.name,
                    "variable": observed_by.get(series.name),
                    "source": series.source,
                    "dates": [d.isoformat() for d, _ in kept],
                    "values": [v for _, v in kept],
                }
            )
        return out

    def _news(self) -> dict[str, Any]:
        """The stored observations of the scenario's indicators up to the as-of date."""
        s = self.settings
        evidence = s.evidence
        out: dict[str, Any] = {
            "db": None if s.db is None else str(s.db),
            "as_of": None if evidence is None else evidence.as_of.isoformat(),
            "observations": [],
            "truncated": False,
            "covered_days": 0 if evidence is None else len(evidence.covered),
            "ignored_future": 0 if evidence is None else evidence.future,
            "notes": [] if evidence is None else list(evidence.notes),
        }
        if s.db is None or evidence is None:
            return out
        from realpolitik.store import Store

        def read() -> list[Any]:
            with Store(s.db, read_only=True) as store:
                return store.observations(self.scenario.name, until=evidence.as_of, published_until=evidence.as_of)

        rows = _guarded(read)
        out["truncated"] = len(rows) > MAX_NEWS_ROWS
        out["observations"] = [
            {
                "indicator": o.indicator,
                "happened": o.happened.isoformat(),
                "reported": None if o.reported is None else o.reported.isoformat(),
                "confidence": o.confidence,
                "modality": o.modality,
                "claimant": o.claimant,
                "article": o.article,
                "event": o.event,
                "text": o.text,
            }
            for o in rows[-MAX_NEWS_ROWS:]
        ]
        return out

    # -- request fields ---------------------------------------------------------

    def _runs_seed(self, given: Mapping[str, Any]) -> tuple[int, int]:
        """``runs`` (1 to :data:`MAX_RUNS`) and ``seed`` (0 to 2**63 - 1) from a query
        (text) or a body (JSON numbers); the served ones when absent."""
        runs = _whole(given, "runs", 1, MAX_RUNS, self.settings.runs)
        seed = _whole(given, "seed", 0, 2**63 - 1, self.settings.seed)
        return runs, seed

    def _intervention(self, data: dict[str, Any]) -> Intervention:
        """The body's intervention, read as ``whatif --file`` reads a file, and checked
        against the scenario."""
        try:
            intervention = Intervention.from_mapping(data, "request body")
            intervention.compile(self.scenario.model)
        except ScenarioError as exc:
            raise _problems(exc.problems) from None
        return intervention

    def _since(self, value: Any) -> dt.date | None:
        evidence = self.settings.evidence
        if evidence is None:
            raise _Refused(400, "an update needs what was observed by a date: start the server with --as-of (and --db or --prices)")
        if value is None:
            return None
        try:
            since = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            since = None
        if since is None or since > evidence.as_of:
            raise _Refused(400, f"since: give a date (YYYY-MM-DD) on or before the as-of date {evidence.as_of.isoformat()}, not {_short(value)}", field="since")
        return since


def _host_name(netloc: str) -> str:
    """The host of a ``Host`` header or an origin's netloc, without its port."""
    text = netloc.strip().lower()
    if text.startswith("["):
        return text[: text.find("]") + 1]
    return text.rsplit(":", 1)[0] if ":" in text else text


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _only(given: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse a field the endpoint does not take (naming it)."""
    for key in given:
        if key not in allowed:
            takes = f"it takes {', '.join(allowed)}" if allowed else "it takes none"
            raise _Refused(400, f"{str(key)[:50]}: unknown field ({takes})", field=str(key)[:50])


def _whole(given: Mapping[str, Any], name: str, low: int, high: int, default: int) -> int:
    """A whole number from ``low`` to ``high``: query text of digits, or a JSON integer."""
    if name not in given:
        return default
    value = given[name]
    if isinstance(value, str):
        number = int(value) if re.fullmatch(r"[0-9]{1,19}", value) else None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        number = None
    if number is None or not low <= number <= high:
        raise _Refused(400, f"{name}: give a whole number from {low:,} to {high:,}, not {_short(value) if number is None else number}", field=name)
    return number


def _json_body(request: Request) -> dict[str, Any]:
    """The request's body as a JSON object, bounded in size and depth."""
    content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise _Refused(415, "send the body as JSON, with Content-Type: application/json")
    if len(request.body) > MAX_BODY_BYTES:
        raise _Refused(413, f"the body is larger than {MAX_BODY_BYTES:,} bytes")
    try:
        text = request.body.decode("utf-8")
        data = json.loads(text, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise _Refused(400, "body: not UTF-8 text", field="body") from None
    except RecursionError:
        raise _Refused(400, f"body: nested more than {MAX_JSON_DEPTH} deep", field="body") from None
    except ValueError as exc:
        raise _Refused(400, f"body: not JSON ({str(exc)[:120]})", field="body") from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise _Refused(400, f"body: nested more than {MAX_JSON_DEPTH} deep", field="body")
    if not isinstance(data, dict):
        raise _Refused(400, f"body: give a JSON object, not {type(data).__name__}", field="body")
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _depth(data: Any) -> int:
    """How deeply arrays and objects nest in ``data`` (a scalar: 0)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            break
        stack.extend((c, level + 1) for c in children)
    return deepest


def _problems(problems: list[Problem]) -> _Refused:
    """A refusal listing every problem of the request, the first one's field named."""

    def field_of(p: Problem) -> str:
        if p.path:
            return p.path
        flag = p.message.split(":", 1)[0]
        return _FLAG_FIELDS.get(flag, "")

    def text(p: Problem) -> str:
        field_name = field_of(p)
        return f"{field_name}: {p.message}" if p.path else p.message

    first = problems[0]
    return _Refused(
        400,
        "; ".join(text(p) for p in problems[:10]),
        field=field_of(first),
        problems=[dict(p.to_dict(), field=field_of(p)) for p in problems],
    )


def _error_text(exc: BaseException) -> str:
    """One line on what went wrong (a problem list's first few)."""
    problems = getattr(exc, "problems", None)
    if problems:
        return "; ".join(str(p) for p in problems[:5])
    if isinstance(exc, MemoryError):
        return f"not enough memory: ask for fewer runs ({exc})" if str(exc) else "not enough memory: ask for fewer runs"
    if isinstance(exc, (RealpolitikError, ValueError)):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"


def _guarded(work: Callable[[], Any]) -> Any:
    """``work()``, with the library's errors (a bad value, a scenario or data problem,
    too little memory) as a 400 refusal that says what."""
    try:
        return work()
    except ScenarioError as exc:
        raise _problems(exc.problems) from None
    except (RealpolitikError, ValueError, MemoryError) as exc:
        raise _Refused(400, _error_text(exc)) from None
