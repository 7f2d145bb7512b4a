"""The benchmarks' reference model (peers/reference-model.yaml, the bundled scenario before its rebuild) as a hand-written Numba kernel: the CPU's speed limit.

What a performance engineer would write for this one model: the dynamics as scalar
code per run, compiled by Numba (``@njit(parallel=True, cache=True)``) and spread
over the cores with ``prange``. It does the job of the engine's ``run()`` and nothing
less: at every step it records the per-step summaries the engine keeps (mean and
5/25/50/75/95% quantiles of every continuous variable, the probability of every
level, boolean and decision option, the probability that each event has fired and
its mean count), the paths of the first ``keep_trajectories`` runs, and what the
nine questions need (the first day each condition held, the values on the days
asked about); the answers with their checkpoints and quantiles come from those at
the end.

How it is fast: a run's state stays in cache while it goes through a block of steps;
one parallel region (one barrier) per block, in which the cores also compute the
quantiles of the block before; quantiles by a histogram that locates the wanted
order statistics and a quickselect on those buckets only, not a sort; an event's
exact test (``expm1``) only when its uniform is below the hazard; loop-invariant
parameter terms computed once per run. None of it changes a bit of the results.

It draws the engine's own random numbers: a Numba port of
``realpolitik.engine._random.uniforms`` on the same stream keys (computed with the
engine's ``stream_key``), the parameters through the same inverse CDFs, and
``normal()`` through the same ``scipy.special.ndtri``. Every expression is written
with the engine's operations in the engine's order, so for the same seed the kernel
reproduces the engine's runs exactly (``tests/test_bench_peers.py`` checks it).

The dynamics are transcribed by hand from
``benchmarks/peers/reference-model.yaml``. Codes as in the other peers:
escalation calm=0, military_sites=1, tit_for_tat=2, red_line=3; hormuz open=0,
disrupted=1, closed=2; decision options numbered in the order the scenario lists
them.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass

import numpy as np
from numba import get_num_threads, njit, prange, set_num_threads
from numba.extending import get_cython_function_address
from scipy import stats

from realpolitik.engine import stream_key, uniforms
from realpolitik.scenario import prior_ppf

from ._common import PARAMETERS, PRIORS, QUESTIONS

__all__ = ["simulate", "run", "KernelResults", "loaded_from_cache", "threads", "STREAMS"]

# --- The scenario, transcribed ------------------------------------------------------

_PARAMETER_ORDER = (
    "brent_no_war", "brent_daily_volatility", "price_reversion_rate", "fear_premium_per_level",
    "iran_offline_premium", "hormuz_disrupted_premium", "hormuz_closed_premium", "slump_threshold",
    "demand_destruction", "russia_export_volume", "windfall_capture", "share_gain_volume",
    "israel_rationality", "iran_rationality", "russia_rationality", "us_rationality", "gulf_rationality",
    "posture_inertia", "spiral_rate", "red_line_cost", "hormuz_cost", "face_weight", "talks_cost",
    "face_saving_value", "direct_help_cost", "veto_value", "mediation_value", "stable_iran_weight",
    "controlled_tension_weight", "tension_band_high", "divert_cost", "diversion_rate",
    "iran_initial_exports", "iran_initial_stability", "collapse_scale", "repression_support", "war_stress",
    "initial_munitions_dependence", "localisation_rate", "su35_delivery_rate",
)  # fmt: skip
if PARAMETERS != _PARAMETER_ORDER:
    raise RuntimeError(
        "peers/numba_kernel.py: the scenario's parameters are not the ones transcribed here "
        f"(scenario: {', '.join(PARAMETERS)}); update the kernel"
    )
(
    BRENT_NO_WAR, VOLATILITY, REVERSION, FEAR_PREMIUM, OFFLINE_PREMIUM, DISRUPTED_PREMIUM, CLOSED_PREMIUM,
    SLUMP_THRESHOLD, DEMAND_DESTRUCTION, EXPORT_VOLUME, WINDFALL_CAPTURE, SHARE_GAIN_VOLUME,
    R_ISRAEL, R_IRAN, R_RUSSIA, R_US, R_GULF, INERTIA, SPIRAL_RATE, RED_LINE_COST, HORMUZ_COST, FACE_WEIGHT,
    TALKS_COST, FACE_SAVING, DIRECT_HELP_COST, VETO_VALUE, MEDIATION_VALUE, STABLE_IRAN_WEIGHT,
    TENSION_WEIGHT, TENSION_BAND_HIGH, DIVERT_COST, DIVERSION_RATE, INITIAL_EXPORTS, INITIAL_STABILITY,
    COLLAPSE_SCALE, REPRESSION_SUPPORT, WAR_STRESS, INITIAL_DEPENDENCE, LOCALISATION_RATE, SU35_RATE,
) = range(len(_PARAMETER_ORDER))  # fmt: skip
#: A column after the parameters: brent_daily_volatility ** 2 / 2, the same every step,
#: computed once per run with the engine's operations.
HALF_VARIANCE = len(_PARAMETER_ORDER)

#: The continuous variables, in the scenario's order (columns of the float state).
CONTINUOUS = (
    "brent", "oil_risk_premium", "russia_extra_revenue", "iran_export_share", "iran_military_capacity",
    "russia_munitions_dependence", "russia_munitions_supply_loss", "ukraine_interceptor_shortfall",
    "us_attention", "russia_domestic_support", "iran_regime_stability", "iran_trust_in_russia",
    "russia_us_friction", "russia_arms_reputation", "russia_mediation_standing", "recession_risk",
    "russia_restraint", "rebuild_support", "retaliation_rounds",
)  # fmt: skip
(
    BRENT, PREMIUM, REVENUE, EXPORTS, CAPACITY, DEPENDENCE, SUPPLY_LOSS, SHORTFALL, ATTENTION, SUPPORT,
    STABILITY, TRUST, FRICTION, REPUTATION, STANDING, RECESSION, RESTRAINT, REBUILD, ROUNDS,
) = range(len(CONTINUOUS))  # fmt: skip

#: Levels and booleans, in the scenario's order, with their level names.
DISCRETE = {
    "escalation": ("calm", "military_sites", "tit_for_tat", "red_line"),
    "hormuz": ("open", "disrupted", "closed"),
    "talks_offered": None,
    "talks_accepted": None,
    "unsc_resolution_pending": None,
}
DECISIONS = {
    "strike_policy": ("pause", "strike_military", "strike_production", "strike_civilian_nuclear"),
    "iran_response": ("absorb", "limited_retaliation", "major_retaliation", "disrupt_hormuz", "accept_talks"),
    "russia_posture": (
        "condemn_only", "host_talks", "veto_resolution", "help_rebuild", "restrain_iran", "direct_military_help",
    ),
    "interceptor_allocation": ("keep_ukraine_share", "divert_to_middle_east"),
    "gulf_posture": ("stay_aside", "facilitate_talks"),
}  # fmt: skip
EVENTS = (
    "unsc_resolution_tabled", "escalation_spiral", "de_escalation", "energy_infrastructure_hit",
    "energy_repairs", "hormuz_closure", "hormuz_reopening", "iran_state_collapse", "irgc_frustration_leak",
    "advanced_arms_delivery",
)  # fmt: skip
# Columns of the integer state: levels, booleans, decisions, then event counts.
ESCALATION, HORMUZ, OFFERED, ACCEPTED, PENDING, STRIKE, RESPONSE, POSTURE, ALLOCATION, GULF = range(10)
FIRST_EVENT = 10
(
    E_TABLED, E_SPIRAL, E_DEESCALATION, E_HIT, E_REPAIRS, E_CLOSURE, E_REOPENING, E_COLLAPSE, E_LEAK, E_ARMS,
) = range(FIRST_EVENT, FIRST_EVENT + len(EVENTS))  # fmt: skip
N_INT = FIRST_EVENT + len(EVENTS)

#: The element order of the engine's trajectories: variables, decisions, events.
TRACKED = (
    "escalation", *CONTINUOUS[:STANDING + 1], "hormuz", "recession_risk", "talks_offered", "talks_accepted",
    "unsc_resolution_pending", "russia_restraint", "rebuild_support", "retaliation_rounds", *DECISIONS, *EVENTS,
)  # fmt: skip

#: Random streams, keyed as the engine keys them (``_step.Streams.of``): one per
#: decision and event (counter: the step), and one per random call in an expression
#: (counter: step * 4096 + call site).
STREAMS: tuple[tuple[str, ...], ...] = (
    *(("decision", d) for d in DECISIONS),
    *(("event", e) for e in EVENTS),
    ("expression", "mechanism", "oil_price", "update"),
    ("expression", "event", "energy_infrastructure_hit", "effect", "iran_export_share"),
)
S_DECISION, S_EVENT, S_OIL, S_HIT = 0, len(DECISIONS), len(DECISIONS) + len(EVENTS), len(DECISIONS) + len(EVENTS) + 1
SITES_PER_STEP = 4096

# The "by" questions (first day the condition held) and the "at" questions (values on
# the days asked about): (name, continuous column).
BY_QUESTIONS = ("talks_accepted_by", "red_line_crossed", "hormuz_disrupted", "russian_military_help", "iran_collapse")
AT_QUESTIONS = (
    ("brent_at_horizon", BRENT),
    ("russia_windfall", REVENUE),
    ("ukraine_shortfall", SHORTFALL),
    ("moscow_prestige", STANDING),
)
AT_COLUMNS = tuple(column for _, column in AT_QUESTIONS)
#: Checkpoints of every question (days), as the scenario asks them.
CHECKPOINTS = {
    "talks_accepted_by": (7, 30, 90),
    "red_line_crossed": (30, 90),
    "hormuz_disrupted": (30, 90),
    "brent_at_horizon": (7, 30, 90),
    "russia_windfall": (30, 90),
    "ukraine_shortfall": (30, 90),
    "russian_military_help": (),
    "iran_collapse": (30, 90),
    "moscow_prestige": (30, 90),
}
FIRST_PASSAGE_QUANTILES = (0.1, 0.5, 0.9)
VALUE_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
SUMMARY_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_Z = float(stats.norm.ppf(0.975))

# Counts kept per step: levels (4 + 3), booleans (3), decision options (19), events
# fired by now (10), event counts summed (10).
_LEVEL_COUNTS = 7
_BOOL_COUNTS = 3
_OPTION_OFFSETS = np.cumsum([0] + [len(o) for o in DECISIONS.values()])
N_OPTIONS = int(_OPTION_OFFSETS[-1])
C_BOOLS = _LEVEL_COUNTS
C_OPTIONS = C_BOOLS + _BOOL_COUNTS
C_FIRED = C_OPTIONS + N_OPTIONS
C_EVENT_SUM = C_FIRED + len(EVENTS)
N_COUNTS = C_EVENT_SUM + len(EVENTS)
OPTION_OFFSET = tuple(int(x) for x in _OPTION_OFFSETS[:-1])

# scipy's ndtri (what the engine's normal() calls), as a C function pointer. It is
# passed to the kernel as an argument: a pointer baked in as a global would stop
# Numba from caching the compiled kernel.
_NDTRI = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(
    get_cython_function_address("scipy.special.cython_special", "ndtri")
)

# --- Counter-based uniforms (a port of realpolitik.engine._random) ------------------

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 2.0**-53
_MASK = 2**64 - 1


def _mix64_int(x: int) -> int:
    x &= _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _seeded_streams(seed: int) -> np.ndarray:
    """Each stream's key mixed with the seed (the part of a draw's key that is not the counter)."""
    return np.array([_mix64_int(seed ^ _mix64_int(stream_key(*s) + 0x9E3779B97F4A7C15)) for s in STREAMS], np.uint64)


@njit(cache=True)
def _mix64(x):  # type: ignore[no-untyped-def]
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


@njit(cache=True)
def _counter_key(seeded, counter):  # type: ignore[no-untyped-def]
    """The key of draw ``counter`` of a stream whose seeded key is ``seeded``."""
    return _mix64(seeded ^ (np.uint64(counter) * _GOLDEN + _M1))


@njit(cache=True)
def _uniform(key, run):  # type: ignore[no-untyped-def]
    """The engine's uniform number in (0, 1) of run ``run`` under ``key``."""
    x = np.uint64(run) * _GOLDEN
    x ^= key
    x = _mix64(x)
    x += key
    x = _mix64(x)
    x >>= _S11
    return (np.float64(x) + 0.5) * _TO_UNIT


# --- The model ---------------------------------------------------------------------


@njit(cache=True)
def _clip(x, low, high):  # type: ignore[no-untyped-def]
    return min(max(x, low), high)


@njit(cache=True)
def _unit(x):  # type: ignore[no-untyped-def]
    return min(max(x, 0.0), 1.0)


@njit(cache=True)
def _fires(hazard, u):  # type: ignore[no-untyped-def]
    """Whether an event with this daily hazard fires on uniform ``u`` (the engine's test:
    u < 1 - exp(-hazard), one step being one day).

    1 - exp(-h) < h, so a draw at or above the hazard cannot fire: the exact test
    (expm1) is needed only below it, a few draws in a hundred.
    """
    if hazard <= 0.0 or u >= hazard * 1.000001:
        return False
    return u < -math.expm1(-hazard)


@njit(cache=True)
def _quantal(utility, feasible, rationality, u, cumulative):  # type: ignore[no-untyped-def]
    """Quantal response as the engine computes it: weights exp(r (u_k - best)) over the
    feasible options, cumulated in order; the option whose cumulative weight first
    exceeds ``u`` times the total (never past the last feasible one). ``cumulative`` is
    scratch space of at least ``len(utility)``."""
    best = -np.inf
    last = 0
    for k in range(len(utility)):
        if feasible[k]:
            best = max(best, utility[k])
            last = k
    total = 0.0
    for k in range(len(utility)):
        if feasible[k]:
            d = utility[k] - best
            total = total + (1.0 if d == 0.0 else math.exp(rationality * d))  # exp(r * 0) is 1
        cumulative[k] = total
    target = u * total
    choice = 0
    for k in range(len(utility) - 1):
        if target >= cumulative[k]:
            choice += 1
    return min(choice, last)


@njit(cache=True)
def _initial(x, s, p):  # type: ignore[no-untyped-def]
    """Day 0: variables at their initial values, decisions at their initial options."""
    x[:] = 0.0
    s[:] = 0
    s[ESCALATION] = 1
    x[BRENT] = 95.74
    x[EXPORTS] = _unit(p[INITIAL_EXPORTS])
    x[PREMIUM] = _clip(p[FEAR_PREMIUM] * 1.0 + (1.0 - x[EXPORTS]) * p[OFFLINE_PREMIUM], -60.0, 200.0)
    x[CAPACITY] = 0.7
    x[DEPENDENCE] = _unit(p[INITIAL_DEPENDENCE])
    x[SUPPLY_LOSS] = _unit(x[DEPENDENCE] * (1.0 - x[CAPACITY]))
    x[ATTENTION] = 0.5
    x[SUPPORT] = 0.6
    x[STABILITY] = _unit(p[INITIAL_STABILITY])
    x[TRUST] = 0.35
    x[FRICTION] = 0.5
    x[REPUTATION] = 0.6
    s[STRIKE] = 1


@njit(cache=True)
def _advance(x, s, p, keys, run, ndtri, scratch):  # type: ignore[no-untyped-def]
    """One day of one run, in place: choices, their effects, events, mechanisms.

    ``x`` is the run's continuous state, ``s`` its levels, booleans, decisions and
    event counts, ``p`` its parameters, ``keys`` this step's stream keys and
    ``scratch`` a few floats of working space.
    Expressions keep the engine's order of operations (its float rounding).
    """
    esc = s[ESCALATION]
    hormuz = s[HORMUZ]
    offered = s[OFFERED] != 0
    accepted = s[ACCEPTED] != 0
    pending = s[PENDING] != 0
    strike, response, posture, allocation, gulf = s[STRIKE], s[RESPONSE], s[POSTURE], s[ALLOCATION], s[GULF]
    cap = x[CAPACITY]
    stability = x[STABILITY]
    restraint = x[RESTRAINT]
    standing = x[STANDING]
    inertia = p[INERTIA]
    weight = p[STABLE_IRAN_WEIGHT]

    # 1. Every actor chooses from the state at the start of the day. An actor's
    # interest is added to each option's utility at the value the option's own
    # effects would give (unclipped, as the engine foresees them).
    interest = -3.0 * cap
    new_strike = _quantal(
        (
            ((-2.0 + 3.0 * accepted) + 4.0 * (cap < 0.25)) + interest,
            0.5 + -3.0 * (cap - 0.002),
            0.0 + -3.0 * (cap - 0.006),
            (-p[RED_LINE_COST] + 1.5 * (response == 2)) + interest,
        ),
        (True, True, True, esc >= 2),
        p[R_ISRAEL],
        _uniform(keys[S_DECISION], run),
        scratch,
    )
    face = p[FACE_WEIGHT] * (strike != 0)
    new_response = _quantal(
        (
            inertia * (response == 0),
            (face - 1.5) - 2.0 * restraint,
            (face - 4.5) - 3.0 * restraint,
            ((-p[HORMUZ_COST] + 2.0 * (1.0 - stability)) + (esc == 3)) - 4.0 * restraint,
            ((-p[TALKS_COST] + p[FACE_SAVING] * (1.0 + (gulf == 1))) + (esc >= 2)) + (1.0 - cap),
        ),
        (True, True, True, hormuz == 0, offered and not accepted),
        p[R_IRAN],
        _uniform(keys[S_DECISION + 1], run),
        scratch,
    )
    interest = 0.1 * standing
    new_posture = _quantal(
        (
            inertia * (posture == 0) + interest,
            ((p[MEDIATION_VALUE] - 1.0) + inertia * (posture == 1)) + 0.1 * (standing + 0.05),
            p[VETO_VALUE] + 0.1 * (standing + 1.0),
            ((-3.0 + weight * (1.0 - stability)) + 2.0 * (0.7 - cap)) + interest,
            (
                -2.0
                + p[TENSION_WEIGHT]
                * ((max(x[BRENT] - p[TENSION_BAND_HIGH], 0.0) / 20.0 + (hormuz != 0)) + 0.5 * (esc >= 2))
            )
            + interest,
            (-p[DIRECT_HELP_COST] + weight * (1.0 - stability)) + interest,
        ),
        (True, not accepted, pending, True, True, esc >= 1),
        p[R_RUSSIA],
        _uniform(keys[S_DECISION + 2], run),
        scratch,
    )
    new_allocation = _quantal(
        (
            (2.0 * inertia) * (allocation == 0),
            ((-p[DIVERT_COST] + 4.0 * x[ATTENTION]) + (esc >= 2)) + (2.0 * inertia) * (allocation == 1),
        ),
        (True, True),
        p[R_US],
        _uniform(keys[S_DECISION + 3], run),
        scratch,
    )
    new_gulf = _quantal(
        (
            inertia * (gulf == 0),
            (((-3.0 + 1.5 * offered) + (esc >= 2)) + 2.0 * (hormuz != 0)) + inertia * (gulf == 1),
        ),
        (True, True),
        p[R_GULF],
        _uniform(keys[S_DECISION + 4], run),
        scratch,
    )
    strike, response, posture, allocation, gulf = new_strike, new_response, new_posture, new_allocation, new_gulf

    # 2. The chosen options take effect: Israel, then Iran, then Russia.
    if strike == 1:  # strike_military
        esc = max(esc, 1)
        cap = _unit(cap - 0.002)
    elif strike == 2:  # strike_production
        esc = max(esc, 1)
        cap = _unit(cap - 0.006)
    elif strike == 3:  # strike_civilian_nuclear
        esc = 3
        x[EXPORTS] = _unit(x[EXPORTS] * 0.8)
    if response == 1:  # limited_retaliation
        esc = max(esc, 2)
        x[ROUNDS] = x[ROUNDS] + 1.0
    elif response == 2:  # major_retaliation
        esc = max(esc, 2)
        x[ROUNDS] = x[ROUNDS] + 2.0
    elif response == 3:  # disrupt_hormuz
        hormuz = 1
    elif response == 4:  # accept_talks
        accepted = True
        standing = _clip(standing + 10.0, -20.0, 100.0)
    trust = x[TRUST]
    friction = x[FRICTION]
    if posture == 1:  # host_talks
        offered = True
        standing = _clip(standing + 0.05, -20.0, 100.0)
    elif posture == 2:  # veto_resolution
        pending = False
        standing = _clip(standing + 1.0, -20.0, 100.0)
        trust = _unit(trust + 0.05)
    elif posture == 3:  # help_rebuild
        x[REBUILD] = 1.0
        trust = _unit(trust + 0.01)
        friction = _unit(friction + 0.01)
    elif posture == 4:  # restrain_iran
        restraint = 1.0
    elif posture == 5:  # direct_military_help
        friction = _unit(friction + 0.2)
        trust = _unit(trust + 0.2)

    # 3. Events, in order; each sees the effects of the ones before.
    if not pending and _fires((0.01 + 0.02 * (esc >= 2)) + 0.03 * (hormuz != 0), _uniform(keys[S_EVENT], run)):
        pending = True
        s[E_TABLED] += 1
    if esc == 2 and _fires(p[SPIRAL_RATE] * (1.0 + x[ROUNDS] / 5.0), _uniform(keys[S_EVENT + 1], run)):
        esc = 3
        s[E_SPIRAL] += 1
    if (
        esc > 0 and esc < 3 and strike == 0 and response == 0
        and _fires(0.01 + 0.04 * accepted, _uniform(keys[S_EVENT + 2], run))
    ):  # fmt: skip
        esc = esc - 1
        s[E_DEESCALATION] += 1
    if _fires(0.004 * esc, _uniform(keys[S_EVENT + 3], run)):
        x[EXPORTS] = _unit(x[EXPORTS] * (0.5 + (0.9 - 0.5) * _uniform(keys[S_HIT], run)))
        s[E_HIT] += 1
    if x[EXPORTS] < 0.95 and _fires(0.03, _uniform(keys[S_EVENT + 4], run)):
        x[EXPORTS] = _unit(min(x[EXPORTS] + 0.1, 1.0))
        s[E_REPAIRS] += 1
    if hormuz == 1 and _fires(0.02 + 0.03 * (esc == 3), _uniform(keys[S_EVENT + 5], run)):
        hormuz = 2
        s[E_CLOSURE] += 1
    if hormuz != 0 and _fires(0.03 + 0.05 * restraint, _uniform(keys[S_EVENT + 6], run)):
        hormuz = hormuz - 1
        s[E_REOPENING] += 1
    if s[E_COLLAPSE] == 0:
        u = _uniform(keys[S_EVENT + 7], run)
        # the hazard is at most collapse_scale: skip the power when the draw is above it
        if u < p[COLLAPSE_SCALE] * 1.000001 and _fires(p[COLLAPSE_SCALE] * math.pow(1.0 - stability, 4.0), u):
            standing = _clip(standing - 5.0, -20.0, 100.0)
            s[E_COLLAPSE] += 1
    if _fires((0.01 * (1.0 - trust)) * (posture == 0), _uniform(keys[S_EVENT + 8], run)):
        trust = _unit(trust - 0.03)
        s[E_LEAK] += 1
    if _fires(p[SU35_RATE] * (1.0 + 2.0 * x[REBUILD]), _uniform(keys[S_EVENT + 9], run)):
        cap = _unit(cap + 0.05)
        trust = _unit(trust + 0.05)
        friction = _unit(friction + 0.05)
        s[E_ARMS] += 1

    # 4. Mechanisms, in order; each sees the updates before it.
    exports = x[EXPORTS]
    premium = _clip(p[FEAR_PREMIUM] * esc + (1.0 - exports) * p[OFFLINE_PREMIUM], -60.0, 200.0)
    premium = _clip(
        ((premium + p[DISRUPTED_PREMIUM] * (hormuz == 1)) + p[CLOSED_PREMIUM] * (hormuz == 2))
        - p[DEMAND_DESTRUCTION] * x[RECESSION],
        -60.0,
        200.0,
    )
    volatility = p[VOLATILITY]
    z = ndtri(_uniform(keys[S_OIL], run))
    brent = x[BRENT]
    brent = _clip(
        brent * math.exp(volatility * z - p[HALF_VARIANCE])
        + p[REVERSION] * ((p[BRENT_NO_WAR] + premium) - brent),
        20.0,
        250.0,
    )
    recession = x[RECESSION]
    recession = _unit(
        (recession + ((0.03 * max(brent - p[SLUMP_THRESHOLD], 0.0)) / 10.0) * (1.0 - recession)) - 0.01 * recession
    )
    capture = p[WINDFALL_CAPTURE]
    revenue = x[REVENUE]
    revenue = revenue + (
        ((p[EXPORT_VOLUME] * capture) * (brent - p[BRENT_NO_WAR])) * (1.0 - 0.5 * recession)
    ) / 1000.0
    revenue = revenue + (((p[SHARE_GAIN_VOLUME] * (1.0 - exports)) * brent) * capture) / 1000.0
    restraint = _unit(restraint * 0.9)
    attention = x[ATTENTION]
    attention = _unit(attention + 0.05 * (((0.2 + 0.25 * esc) + 0.2 * (hormuz != 0)) - attention))
    x[SHORTFALL] = _clip(x[SHORTFALL] + p[DIVERSION_RATE] * (allocation == 1), 0.0, 100.0)
    support = x[SUPPORT]
    x[SUPPORT] = _unit((support + (0.002 * (esc >= 1)) * (1.0 - support)) + 0.001 * (esc == 3))
    friction = _unit(friction - (0.005 * attention) * friction)
    dependence = _unit(x[DEPENDENCE] * (1.0 - p[LOCALISATION_RATE]))
    x[SUPPLY_LOSS] = _unit(dependence * (1.0 - cap))
    x[REPUTATION] = _unit(x[REPUTATION] - (0.003 * (strike == 1)) * x[REPUTATION])
    trust = _unit(trust - (0.002 * (posture == 0)) * (esc >= 1))
    standing = _clip(standing + 0.02 * accepted, -20.0, 100.0)
    rebuild = x[REBUILD]
    cap = _unit(cap + (0.004 * rebuild) * (1.0 - cap))
    x[REBUILD] = _unit(rebuild * 0.95)
    stability = _unit(
        ((stability + p[REPRESSION_SUPPORT] * (1.0 - stability)) - p[WAR_STRESS] * esc) - 0.002 * (1.0 - exports)
    )
    standing = _clip(standing - 0.01 * (s[E_COLLAPSE] > 0), -20.0, 100.0)

    x[BRENT] = brent
    x[PREMIUM] = premium
    x[REVENUE] = revenue
    x[CAPACITY] = cap
    x[DEPENDENCE] = dependence
    x[ATTENTION] = attention
    x[STABILITY] = stability
    x[TRUST] = trust
    x[FRICTION] = friction
    x[STANDING] = standing
    x[RECESSION] = recession
    x[RESTRAINT] = restraint
    s[ESCALATION] = esc
    s[HORMUZ] = hormuz
    s[OFFERED] = offered
    s[ACCEPTED] = accepted
    s[PENDING] = pending
    s[STRIKE], s[RESPONSE], s[POSTURE], s[ALLOCATION], s[GULF] = strike, response, posture, allocation, gulf


# --- The ensemble: step loop, summaries, question state ------------------------------


@njit(cache=True)
def _select(a, ks):  # type: ignore[no-untyped-def]
    """Put the order statistics ``ks`` (sorted, distinct) of ``a`` in their places, in place.

    Quickselect for several ranks at once: a three-way partition around a median of
    three (so long runs of equal values, as a variable's bounds make, cost one pass),
    then go on in each side that holds a wanted rank, the smaller side first so the
    stack stays within log2(len(a)) entries.
    """
    stack = np.empty((128, 4), np.int64)  # (lo, hi, first k, last k + 1)
    stack[0, 0], stack[0, 1], stack[0, 2], stack[0, 3] = 0, len(a) - 1, 0, len(ks)
    depth = 1
    while depth:
        depth -= 1
        lo, hi, k0, k1 = stack[depth, 0], stack[depth, 1], stack[depth, 2], stack[depth, 3]
        if k0 >= k1 or lo >= hi:
            continue
        if hi - lo < 24:  # insertion sort for short ranges
            for i in range(lo + 1, hi + 1):
                v = a[i]
                j = i - 1
                while j >= lo and a[j] > v:
                    a[j + 1] = a[j]
                    j -= 1
                a[j + 1] = v
            continue
        x, y, z = a[lo], a[(lo + hi) // 2], a[hi]
        pivot = max(min(x, y), min(max(x, y), z))  # the median of the three
        less, i, more = lo, lo, hi
        while i <= more:  # a[lo:less] < pivot, a[less:i] == pivot, a[more + 1:hi + 1] > pivot
            v = a[i]
            if v < pivot:
                a[i] = a[less]
                a[less] = v
                less += 1
                i += 1
            elif v > pivot:
                a[i] = a[more]
                a[more] = v
                more -= 1
            else:
                i += 1
        # ranks in less..more hold the pivot's value
        split_lo = k0
        while split_lo < k1 and ks[split_lo] < less:
            split_lo += 1
        split_hi = split_lo
        while split_hi < k1 and ks[split_hi] <= more:
            split_hi += 1
        left = (lo, less - 1, k0, split_lo)
        right = (more + 1, hi, split_hi, k1)
        if less - lo < hi - more:  # push the larger side first: the smaller one is done next
            left, right = right, left
        for j in range(4):
            stack[depth, j] = left[j]
            stack[depth + 1, j] = right[j]
        depth += 2


#: Buckets of the histogram that locates the order statistics.
BUCKETS = 2048


@njit(cache=True)
def _quantiles_of(a, ranks, out, work):  # type: ignore[no-untyped-def]
    """The summary quantiles of ``a`` into ``out``: linear interpolation between order
    statistics, as the engine's ``sorted_quantiles`` (the same values, not sorted).

    A histogram of BUCKETS equal-width buckets between the extremes finds the bucket
    of every wanted rank (the bucket index is monotone in the value, so buckets are
    ordered); only those buckets' values are gathered and put in order by quickselect.
    Three passes over ``a`` instead of a sort. ``work`` is (hist, slot, gathered)
    scratch space: BUCKETS counts, BUCKETS slots (all -1) and len(a) floats.
    """
    hist, slot, gathered = work
    m = len(a)
    low = a[0]
    high = a[0]
    for i in range(m):
        low = min(low, a[i])
        high = max(high, a[i])
    if low == high:
        for j in range(len(SUMMARY_QUANTILES)):
            out[j] = low
        return
    scale = BUCKETS / (high - low)
    if not (scale < math.inf and high - low < math.inf):
        scale = 0.0  # a subnormal or overflowing spread: one bucket holds every value
    hist[:] = 0
    for i in range(m):
        hist[_bucket(a[i], low, scale)] += 1
    # the bucket of each wanted rank, and where each needed bucket's values go
    bucket_of = np.empty(len(ranks), np.int64)
    start_of = np.empty(len(ranks), np.int64)  # rank of the bucket's first value
    needed = np.empty(len(ranks), np.int64)
    n_needed = 0
    below = 0
    k = 0
    for r in range(len(ranks)):
        while below + hist[k] <= ranks[r]:
            below += hist[k]
            k += 1
        bucket_of[r] = k
        start_of[r] = below
        if slot[k] < 0:
            slot[k] = n_needed
            needed[n_needed] = k
            n_needed += 1
    offset = np.empty(n_needed + 1, np.int64)
    offset[0] = 0
    for i in range(n_needed):
        offset[i + 1] = offset[i] + hist[needed[i]]
    fill = offset[:n_needed].copy()
    for i in range(m):
        j = slot[_bucket(a[i], low, scale)]
        if j >= 0:
            gathered[fill[j]] = a[i]
            fill[j] += 1
    # order each needed bucket far enough for its ranks
    value_of = np.empty(len(ranks))
    for i in range(n_needed):
        segment = gathered[offset[i] : offset[i + 1]]
        local = np.empty(len(ranks), np.int64)
        n_local = 0
        for r in range(len(ranks)):
            if bucket_of[r] == needed[i]:
                local[n_local] = ranks[r] - start_of[r]
                n_local += 1
        _select(segment, local[:n_local])
        for r in range(len(ranks)):
            if bucket_of[r] == needed[i]:
                value_of[r] = segment[ranks[r] - start_of[r]]
    for i in range(n_needed):
        slot[needed[i]] = -1
    for j in range(len(SUMMARY_QUANTILES)):
        position = SUMMARY_QUANTILES[j] * (m - 1)
        lo = int(math.floor(position))
        hi = min(lo + 1, m - 1)
        a_lo = value_of[_index(ranks, lo)]
        a_hi = value_of[_index(ranks, hi)]
        out[j] = a_lo + (a_hi - a_lo) * (position - lo)


@njit(cache=True)
def _bucket(x, low, scale):  # type: ignore[no-untyped-def]
    """The histogram bucket of ``x``, always in 0..BUCKETS-1 and monotone in ``x``.

    ``int()`` of a NaN or an infinity is undefined in compiled code (on x86 the most
    negative integer), and an index from it writes outside ``hist``: a spread of
    subnormal width made ``scale`` infinite, ``0 * inf`` a NaN, and the process die
    with a segmentation fault. Clamping in floating point first keeps every index in
    range; a NaN value goes to bucket 0.
    """
    b = (x - low) * scale
    if b >= BUCKETS - 1:
        return BUCKETS - 1
    if b >= 1.0:
        return int(b)
    return 0


@njit(cache=True)
def _index(sorted_values, value):  # type: ignore[no-untyped-def]
    for i in range(len(sorted_values)):
        if sorted_values[i] == value:
            return i
    return -1


@njit(cache=True)
def _step_keys(seeded, steps):  # type: ignore[no-untyped-def]
    """Each step's key of every stream: decisions and events count steps, expressions
    step * SITES_PER_STEP + call site (one call site each here)."""
    keys = np.empty((steps + 1, len(seeded)), np.uint64)
    for step in range(steps + 1):
        for k in range(S_OIL):
            keys[step, k] = _counter_key(seeded[k], step)
        keys[step, S_OIL] = _counter_key(seeded[S_OIL], step * SITES_PER_STEP)
        keys[step, S_HIT] = _counter_key(seeded[S_HIT], step * SITES_PER_STEP)
    return keys


@njit(cache=True)
def _advance_chunk(lo, hi, s0, s1, params, keys, ndtri, x, s, out, scratch):  # type: ignore[no-untyped-def]
    """Runs ``lo`` to ``hi`` through steps ``s0`` to ``s1`` (step 0: the initial state),
    recording what the engine records at every step.

    ``out`` holds this chunk's counts and sums, the question state, the quantile
    sample of the block's steps and the kept paths (see :func:`_ensemble`).
    """
    counts, sums, first, record_day, values, sample, traj_x, traj_s = out
    m = sample.shape[2]
    kept = traj_x.shape[2]
    for run in range(lo, hi):
        xr = x[run]
        sr = s[run]
        pr = params[run]
        for step in range(s0, s1):
            if step == 0:
                _initial(xr, sr, pr)
            else:
                _advance(xr, sr, pr, keys[step], run, ndtri, scratch)
            _observe(xr, sr, counts[step], sums[step])
            # the questions: the first day each condition held, values on the days asked about
            if step < first[0, run] and sr[ACCEPTED]:
                first[0, run] = step
            if step < first[1, run] and sr[ESCALATION] == 3:
                first[1, run] = step
            if step < first[2, run] and sr[HORMUZ] != 0:
                first[2, run] = step
            if step < first[3, run] and sr[POSTURE] == 5:
                first[3, run] = step
            if step < first[4, run] and sr[E_COLLAPSE] > 0:
                first[4, run] = step
            slot = record_day[step]
            if slot >= 0:
                for q in range(len(AT_COLUMNS)):
                    values[slot, q, run] = xr[AT_COLUMNS[q]]
            if run < m:
                for v in range(len(CONTINUOUS)):
                    sample[step - s0, v, run] = xr[v]
            if run < kept:
                traj_x[step, :, run] = xr
                traj_s[step, :, run] = sr


@njit(cache=True)
def _observe(xr, sr, counts, sums):  # type: ignore[no-untyped-def]
    """Add one run's state to its chunk's counts and sums."""
    for v in range(len(CONTINUOUS)):
        sums[v] += xr[v]
    counts[sr[ESCALATION]] += 1
    counts[4 + sr[HORMUZ]] += 1
    counts[C_BOOLS] += sr[OFFERED]
    counts[C_BOOLS + 1] += sr[ACCEPTED]
    counts[C_BOOLS + 2] += sr[PENDING]
    for d in range(len(OPTION_OFFSET)):
        counts[C_OPTIONS + OPTION_OFFSET[d] + sr[STRIKE + d]] += 1
    for e in range(len(EVENTS)):
        count = sr[FIRST_EVENT + e]
        counts[C_FIRED + e] += 1 if count > 0 else 0
        counts[C_EVENT_SUM + e] += count


@njit(parallel=True, cache=True)
def _ensemble(params, keys, ranks, chunk, block, workers, ndtri, x, s, counts, sums, quantiles, sample, out):  # type: ignore[no-untyped-def]  # noqa: E501
    """Advance the ensemble through every step, filling the arrays :func:`run` made.

    Steps go by blocks of ``block``. In one parallel region the workers advance their
    chunks of ``chunk`` runs through the block's steps (a run's state stays in cache)
    and, as further tasks, select the quantiles of the block before from its sample
    (``sample`` holds two blocks' samples, in turn). One barrier per block, not two
    per step. Tasks are dealt round robin, so every worker gets its share of both kinds.
    """
    n = params.shape[0]
    steps = keys.shape[0] - 1
    chunks = counts.shape[1]
    nx = len(CONTINUOUS)
    first, record_day, values, traj_x, traj_s = out
    blocks = (steps + block) // block
    for b in range(blocks + 1):
        s0, s1 = b * block, min((b + 1) * block, steps + 1)
        p0, p1 = (b - 1) * block, min(b * block, steps + 1)
        n_advance = chunks if b < blocks else 0
        n_select = (p1 - p0) * nx if b > 0 else 0
        here, before = sample[b % 2], sample[(b + 1) % 2]
        for w in prange(workers):
            scratch = np.empty(8)
            work = (np.empty(BUCKETS, np.int64), np.full(BUCKETS, -1, np.int64), np.empty(sample.shape[3]))
            for task in range(w, n_advance + n_select, workers):
                if task < n_advance:
                    c = task
                    mine = (counts[:, c], sums[:, c], first, record_day, values, here, traj_x, traj_s)
                    _advance_chunk(c * chunk, min((c + 1) * chunk, n), s0, s1, params, keys, ndtri, x, s, mine, scratch)
                else:
                    step = p0 + (task - n_advance) // nx
                    v = (task - n_advance) % nx
                    _quantiles_of(before[step - p0, v], ranks, quantiles[step, :, v], work)


# --- Python side: parameters in, answers out -----------------------------------------


@dataclass(frozen=True)
class KernelResults:
    """What the kernel computes, in the engine's shapes.

    Attributes:
        answers: question -> {"value", "se", "low", "high", "quantiles", "checkpoints"}:
            the estimate at the horizon, its quantiles (first_passage: of the day;
            quantiles: of the value) and the same at each checkpoint day.
        steps: (element, statistic) -> one value per step, as ``Results.steps``.
        trajectories: element -> (steps + 1, keep) paths of the first runs.
        outcomes: question -> each run's outcome at the horizon (0/1 or the value).
        parameters: parameter -> each run's value.
    """

    answers: dict[str, dict[str, object]]
    steps: dict[tuple[str, str], np.ndarray]
    trajectories: dict[str, np.ndarray]
    outcomes: dict[str, np.ndarray]
    parameters: dict[str, np.ndarray]


def run(
    runs: int,
    seed: int,
    steps: int = 180,
    *,
    keep_trajectories: int = 50,
    quantile_runs: int | None = None,
    threads: int | None = None,
) -> KernelResults:
    """The kernel's whole ensemble: answers, per-step summaries, kept paths.

    Args:
        runs: Monte Carlo runs.
        seed: the engine's seed (the kernel draws the engine's random numbers).
        steps: days to simulate (the engine's ``horizon``).
        keep_trajectories: whole paths kept of the first this many runs.
        quantile_runs: per-step quantiles are of the first this many runs (default:
            all), to match an engine that samples them.
        threads: threads for this call (default: Numba's setting, the machine's cores).
    """
    if runs < 1 or steps < 1:
        raise ValueError(f"runs and steps must be at least 1, got runs={runs}, steps={steps}")
    all_runs = np.arange(runs, dtype=np.uint64)
    parameters = {
        name: np.asarray(prior_ppf(PRIORS[name], uniforms(seed, stream_key("parameter", name), 0, all_runs)), float)
        for name in PARAMETERS
    }
    half_variance = np.power(parameters["brent_daily_volatility"], 2.0) / 2
    params = np.ascontiguousarray(np.stack([*(parameters[name] for name in PARAMETERS), half_variance], axis=1))
    days = sorted({d for q, _ in AT_QUESTIONS for d in (*CHECKPOINTS[q], steps) if d <= steps})
    record_day = np.full(steps + 1, -1, np.int64)
    for i, d in enumerate(days):
        record_day[d] = i
    nx = len(CONTINUOUS)
    m = min(quantile_runs or runs, runs)
    chunk = max(64, min(2048, -(-runs // 32)))
    chunks = -(-runs // chunk)
    # steps per block: the two blocks' quantile samples within about 32 MB
    block = max(1, min(16, (32 << 20) // (2 * nx * m * 8)))
    kept = min(keep_trajectories, runs)
    positions = [q * (m - 1) for q in SUMMARY_QUANTILES]
    ranks = np.unique([r for pos in positions for r in (math.floor(pos), min(math.floor(pos) + 1, m - 1))])
    counts = np.zeros((steps + 1, chunks, N_COUNTS), np.int64)
    sums = np.zeros((steps + 1, chunks, nx))
    quantiles = np.empty((steps + 1, len(SUMMARY_QUANTILES), nx))
    first = np.full((len(BY_QUESTIONS), runs), np.inf)
    values = np.empty((len(days), len(AT_COLUMNS), runs))
    traj_x = np.empty((steps + 1, nx, kept))
    traj_s = np.empty((steps + 1, N_INT, kept), np.int64)
    previous = get_num_threads()
    set_num_threads(threads or previous)
    try:
        _ensemble(
            params, _step_keys(_seeded_streams(seed), steps), ranks.astype(np.int64), chunk, block, threads or previous,
            _NDTRI, np.empty((runs, nx)), np.empty((runs, N_INT), np.int64), counts, sums, quantiles,
            np.empty((2, block, nx, m)), (first, record_day, values, traj_x, traj_s),
        )  # fmt: skip
    finally:
        set_num_threads(previous)
    # counts and sums: chunk by chunk, in run order
    counts = counts.sum(axis=1)
    sums = np.add.reduce(sums, axis=1)
    answers: dict[str, dict[str, object]] = {}
    outcomes: dict[str, np.ndarray] = {}
    for i, name in enumerate(BY_QUESTIONS):
        asked = [d for d in (steps, *CHECKPOINTS[name]) if d <= steps]
        estimates = [_by_answer(first[i], d, name == "talks_accepted_by") for d in asked]
        answers[name] = dict(estimates[0], checkpoints=dict(zip(asked[1:], estimates[1:])))
        outcomes[name] = (first[i] <= steps).astype(np.float64)
    for i, (name, _) in enumerate(AT_QUESTIONS):
        asked = [d for d in (steps, *CHECKPOINTS[name]) if d <= steps]
        estimates = [_value_answer(values[days.index(d), i]) for d in asked]
        answers[name] = dict(estimates[0], checkpoints=dict(zip(asked[1:], estimates[1:])))
        outcomes[name] = values[days.index(steps), i].copy()
    return KernelResults(
        answers={q: answers[q] for q in QUESTIONS},
        steps=_summary_rows(counts, sums, quantiles, runs),
        trajectories=_trajectories(traj_x, traj_s),
        outcomes={q: outcomes[q] for q in QUESTIONS},
        parameters=parameters,
    )


def simulate(
    runs: int, seed: int, steps: int = 180, *, quantile_runs: int | None = None, threads: int | None = None
) -> dict[str, dict[str, float]]:
    """The scenario's nine answers at day ``steps``, each with its standard error.

    The whole job runs (summaries and 50 kept paths included), as in the benchmark's
    engine call; only the nine estimates are returned, in the other peers' shape.
    """
    answers = run(runs, seed, steps, keep_trajectories=50, quantile_runs=quantile_runs, threads=threads).answers
    return {q: {"value": a["value"], "se": a["se"]} for q, a in answers.items()}  # type: ignore[misc]


def loaded_from_cache() -> bool:
    """Whether this process's compiled kernel came from Numba's on-disk cache."""
    return sum(_ensemble.stats.cache_hits.values()) > 0


def threads() -> int:
    """How many threads the kernel's parallel loops use (Numba's setting)."""
    return get_num_threads()


def _proportion(hits: int, n: int) -> dict[str, float]:
    """A share with its standard error and Wilson 95% interval (the engine's)."""
    p = hits / n
    centre = (p + _Z**2 / (2 * n)) / (1 + _Z**2 / n)
    half = _Z * math.sqrt(p * (1 - p) / n + _Z**2 / (4 * n * n)) / (1 + _Z**2 / n)
    se = math.sqrt(p * (1 - p) / n)
    # the interval holds p, as the engine's does (rounding put its end at 4e-19 at p = 0)
    return {"value": p, "se": se, "low": min(max(centre - half, 0.0), p), "high": max(min(centre + half, 1.0), p)}


def _quantile(ordered: np.ndarray, q: float) -> dict[str, float]:
    """A quantile (linear between order statistics) with the order-statistic 95% interval."""
    n = len(ordered)
    if n == 0:
        return {"value": math.nan, "se": math.nan, "low": math.nan, "high": math.nan}
    position = q * (n - 1)
    lo = int(math.floor(position))
    a, b = ordered[lo], ordered[min(lo + 1, n - 1)]
    half = _Z * math.sqrt(n * q * (1 - q))
    low = float(ordered[int(max(0, math.floor(n * q - half)))])
    high = float(ordered[int(min(n - 1, math.ceil(n * q + half)))])
    return {"value": float(a + (b - a) * (position - lo)), "se": (high - low) / (2 * _Z), "low": low, "high": high}


def _by_answer(first: np.ndarray, day: int, passage: bool) -> dict[str, object]:
    """Probability that the condition held by ``day`` (and when, for a first passage)."""
    out: dict[str, object] = dict(_proportion(int(np.count_nonzero(first <= day)), len(first)))
    times = np.sort(first[first <= day])
    out["quantiles"] = {q: _quantile(times, q) for q in FIRST_PASSAGE_QUANTILES} if passage else {}
    return out


def _value_answer(values: np.ndarray) -> dict[str, object]:
    """Mean (normal 95% interval) and quantiles of a value on a day."""
    mean = float(values.mean())
    se = float(values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else math.nan
    ordered = np.sort(values)
    quantiles = {q: _quantile(ordered, q) for q in VALUE_QUANTILES}
    return {"value": mean, "se": se, "low": mean - _Z * se, "high": mean + _Z * se, "quantiles": quantiles}


def _summary_rows(
    counts: np.ndarray, sums: np.ndarray, quantiles: np.ndarray, runs: int
) -> dict[tuple[str, str], np.ndarray]:
    """The per-step table in the engine's row order (variables, decisions, events)."""
    rows: dict[tuple[str, str], np.ndarray] = {}
    level_column = {"escalation": 0, "hormuz": 4}
    bool_column = {"talks_offered": C_BOOLS, "talks_accepted": C_BOOLS + 1, "unsc_resolution_pending": C_BOOLS + 2}
    for name in TRACKED:
        if name in CONTINUOUS:
            v = CONTINUOUS.index(name)
            rows[(name, "mean")] = sums[:, v] / runs
            for j, q in enumerate(SUMMARY_QUANTILES):
                rows[(name, f"q{round(q * 100):02d}")] = quantiles[:, j, v]
        elif name in level_column:
            for k, level in enumerate(DISCRETE[name]):  # type: ignore[arg-type]
                rows[(name, f"p_{level}")] = counts[:, level_column[name] + k] / runs
        elif name in bool_column:
            rows[(name, "p_true")] = counts[:, bool_column[name]] / runs
        elif name in DECISIONS:
            d = list(DECISIONS).index(name)
            for k, option in enumerate(DECISIONS[name]):
                rows[(name, f"p_{option}")] = counts[:, C_OPTIONS + OPTION_OFFSET[d] + k] / runs
        else:
            e = EVENTS.index(name)
            rows[(name, "p_fired_by")] = counts[:, C_FIRED + e] / runs
            rows[(name, "mean_count")] = counts[:, C_EVENT_SUM + e] / runs
    return rows


def _trajectories(traj_x: np.ndarray, traj_s: np.ndarray) -> dict[str, np.ndarray]:
    """Element -> (steps + 1, kept runs) paths, as floats (the engine's shape)."""
    if traj_x.shape[2] == 0:
        return {}
    discrete = {name: i for i, name in enumerate((*DISCRETE, *DECISIONS, *EVENTS))}
    return {
        name: traj_x[:, CONTINUOUS.index(name)] if name in CONTINUOUS else traj_s[:, discrete[name]].astype(np.float64)
        for name in TRACKED
    }
