"""The benchmarks' reference model (peers/reference-model.yaml, the bundled scenario before its rebuild) hand-written as a plain per-run Python loop.

This is what an analyst would write without realpolitik: one run at a time, one day
at a time, Python floats and the ``random``/``math`` modules. The dynamics are
transcribed by hand from ``benchmarks/peers/reference-model.yaml``; only
the priors are read from the scenario. Codes: escalation calm=0, military_sites=1,
tit_for_tat=2, red_line=3; hormuz open=0, disrupted=1, closed=2; decision options
are numbered in the order the scenario lists them.

A day follows the engine's order: every actor chooses from the state at the start of
the day (quantal response), the chosen options take effect (Israel, Iran, Russia,
then the US and the Gulf, which have no effects), events fire in order, then the
mechanisms update their variables in order. Every write is clipped to the
variable's bounds.
"""

from __future__ import annotations

import math
import random

import numpy as np

from ._common import PARAMETERS, QUESTIONS, draw_parameters, mean, proportion, quantal_choice

__all__ = ["simulate"]

INF = math.inf


def clip(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return low if x < low else high if x > high else x


def fires(rng: random.Random, hazard: float) -> bool:
    """Whether an event with this daily hazard fires today."""
    return rng.random() < -math.expm1(-max(hazard, 0.0))


def simulate(runs: int, seed: int, steps: int = 180) -> dict[str, dict[str, float]]:
    """The scenario's nine answers at day ``steps``, each with its standard error."""
    rngs = [random.Random(seed * 1_000_003 + run) for run in range(runs)]
    # A run's first draws are the uniforms of its parameters (mapped through the priors
    # for all runs at once), the rest drive its days.
    params = draw_parameters(np.array([[rng.random() for _ in PARAMETERS] for rng in rngs]))
    outcomes = []
    for run in range(runs):
        outcomes.append(run_once(params[run], rngs[run], steps))
    columns = dict(zip(QUESTIONS, zip(*outcomes)))
    return {
        name: proportion(sum(columns[name]), runs) if kind == "probability" else mean(columns[name])
        for name, kind in QUESTIONS.items()
    }


def run_once(p: dict[str, float], rng: random.Random, steps: int) -> tuple:
    """One run; returns the outcomes in the order of ``QUESTIONS``."""
    # Parameters used every day, as locals.
    posture_inertia = p["posture_inertia"]
    stable_iran_weight = p["stable_iran_weight"]
    volatility = p["brent_daily_volatility"]

    # Initial state. Variables no question asks about (munitions, domestic support,
    # arms reputation) are kept up to date all the same: the peer does the whole
    # scenario's work, as the engine does.
    escalation = 1
    hormuz = 0
    iran_export_share = clip(p["iran_initial_exports"])
    oil_risk_premium = clip(
        p["fear_premium_per_level"] * escalation + (1 - iran_export_share) * p["iran_offline_premium"], -60, 200
    )
    brent = 95.74
    russia_extra_revenue = 0.0
    iran_military_capacity = 0.7
    munitions_dependence = clip(p["initial_munitions_dependence"])
    munitions_supply_loss = clip(munitions_dependence * (1 - iran_military_capacity))
    ukraine_shortfall = 0.0
    us_attention = 0.5
    domestic_support = 0.6
    regime_stability = clip(p["iran_initial_stability"])
    trust = 0.35  # Iran's trust in Russia
    friction = 0.5  # Russia-US friction
    arms_reputation = 0.6
    standing = 0.0  # Russia's mediation standing (prestige points, bounds -20..100)
    recession_risk = 0.0
    talks_offered = talks_accepted = resolution_pending = False
    restraint = 0.0
    rebuild_support = 0.0
    retaliation_rounds = 0.0
    collapsed = False  # event iran_state_collapse has fired (once)
    # Decisions: strike_policy, iran_response, russia_posture, interceptor_allocation, gulf_posture.
    strike, response, posture, allocation, gulf = 1, 0, 0, 0, 0

    # "By the horizon" questions, with day 0 included.
    ever_talks = talks_accepted
    ever_red_line = escalation == 3
    ever_hormuz = hormuz != 0
    ever_direct_help = posture == 5

    for _day in range(1, steps + 1):
        # 1. Choices, all from the state at the start of the day. Israel's interest
        # -3 * iran_military_capacity and Russia's 0.1 * standing are added to every
        # option, taken at the value the option's own effects would give.
        israel_interest = -3 * iran_military_capacity
        russia_interest = 0.1 * standing
        new_strike = quantal_choice(rng, p["israel_rationality"], [
            -2 + 3 * talks_accepted + 4 * (iran_military_capacity < 0.25) + israel_interest,  # pause
            0.5 + israel_interest + 3 * 0.002,  # strike_military
            israel_interest + 3 * 0.006,  # strike_production
            (-p["red_line_cost"] + 1.5 * (response == 2) + israel_interest)  # strike_civilian_nuclear
            if escalation >= 2 else -INF,
        ])
        new_response = quantal_choice(rng, p["iran_rationality"], [
            posture_inertia * (response == 0),  # absorb
            p["face_weight"] * (strike != 0) - 1.5 - 2 * restraint,  # limited_retaliation
            p["face_weight"] * (strike != 0) - 4.5 - 3 * restraint,  # major_retaliation
            (-p["hormuz_cost"] + 2 * (1 - regime_stability) + (escalation == 3) - 4 * restraint)  # disrupt_hormuz
            if hormuz == 0 else -INF,
            (-p["talks_cost"] + p["face_saving_value"] * (1 + (gulf == 1)) + (escalation >= 2)  # accept_talks
             + (1 - iran_military_capacity)) if talks_offered and not talks_accepted else -INF,
        ])
        new_posture = quantal_choice(rng, p["russia_rationality"], [
            posture_inertia * (posture == 0) + russia_interest,  # condemn_only
            (p["mediation_value"] - 1 + posture_inertia * (posture == 1) + russia_interest + 0.1 * 0.05)  # host_talks
            if not talks_accepted else -INF,
            (p["veto_value"] + russia_interest + 0.1 * 1) if resolution_pending else -INF,  # veto_resolution
            -3 + stable_iran_weight * (1 - regime_stability) + 2 * (0.7 - iran_military_capacity)  # help_rebuild
            + russia_interest,
            -2 + p["controlled_tension_weight"] * (  # restrain_iran
                max(brent - p["tension_band_high"], 0) / 20 + (hormuz != 0) + 0.5 * (escalation >= 2)
            ) + russia_interest,
            # direct_military_help
            (-p["direct_help_cost"] + stable_iran_weight * (1 - regime_stability) + russia_interest)
            if escalation >= 1 else -INF,
        ])
        new_allocation = quantal_choice(rng, p["us_rationality"], [
            2 * posture_inertia * (allocation == 0),  # keep_ukraine_share
            -p["divert_cost"] + 4 * us_attention + (escalation >= 2) + 2 * posture_inertia * (allocation == 1),
        ])
        new_gulf = quantal_choice(rng, p["gulf_rationality"], [
            posture_inertia * (gulf == 0),  # stay_aside
            -3 + 1.5 * talks_offered + (escalation >= 2) + 2 * (hormuz != 0) + posture_inertia * (gulf == 1),
        ])
        strike, response, posture, allocation, gulf = new_strike, new_response, new_posture, new_allocation, new_gulf

        # 2. The chosen options' effects, Israel then Iran then Russia.
        if strike == 1:  # strike_military
            escalation = max(escalation, 1)
            iran_military_capacity = clip(iran_military_capacity - 0.002)
        elif strike == 2:  # strike_production
            escalation = max(escalation, 1)
            iran_military_capacity = clip(iran_military_capacity - 0.006)
        elif strike == 3:  # strike_civilian_nuclear
            escalation = 3
            iran_export_share = clip(iran_export_share * 0.8)
        if response == 1:  # limited_retaliation
            escalation = max(escalation, 2)
            retaliation_rounds += 1
        elif response == 2:  # major_retaliation
            escalation = max(escalation, 2)
            retaliation_rounds += 2
        elif response == 3:  # disrupt_hormuz
            hormuz = 1
        elif response == 4:  # accept_talks
            talks_accepted = True
            standing = clip(standing + 10, -20, 100)
        if posture == 1:  # host_talks
            talks_offered = True
            standing = clip(standing + 0.05, -20, 100)
        elif posture == 2:  # veto_resolution
            resolution_pending = False
            standing = clip(standing + 1, -20, 100)
            trust = clip(trust + 0.05)
        elif posture == 3:  # help_rebuild
            rebuild_support = 1.0
            trust = clip(trust + 0.01)
            friction = clip(friction + 0.01)
        elif posture == 4:  # restrain_iran
            restraint = 1.0
        elif posture == 5:  # direct_military_help
            friction = clip(friction + 0.2)
            trust = clip(trust + 0.2)

        # 3. Events, in order; each sees the effects of the ones before.
        if not resolution_pending and fires(rng, 0.01 + 0.02 * (escalation >= 2) + 0.03 * (hormuz != 0)):
            resolution_pending = True  # unsc_resolution_tabled
        if escalation == 2 and fires(rng, p["spiral_rate"] * (1 + retaliation_rounds / 5)):
            escalation = 3  # escalation_spiral
        if 0 < escalation < 3 and strike == 0 and response == 0 and fires(rng, 0.01 + 0.04 * talks_accepted):
            escalation -= 1  # de_escalation
        if fires(rng, 0.004 * escalation):  # energy_infrastructure_hit
            iran_export_share = clip(iran_export_share * rng.uniform(0.5, 0.9))
        if iran_export_share < 0.95 and fires(rng, 0.03):  # energy_repairs
            iran_export_share = min(iran_export_share + 0.1, 1.0)
        if hormuz == 1 and fires(rng, 0.02 + 0.03 * (escalation == 3)):  # hormuz_closure
            hormuz = 2
        if hormuz != 0 and fires(rng, 0.03 + 0.05 * restraint):  # hormuz_reopening
            hormuz -= 1
        if not collapsed and fires(rng, p["collapse_scale"] * (1 - regime_stability) ** 4):  # iran_state_collapse
            collapsed = True
            standing = clip(standing - 5, -20, 100)
        if fires(rng, 0.01 * (1 - trust) * (posture == 0)):  # irgc_frustration_leak
            trust = clip(trust - 0.03)
        if fires(rng, p["su35_delivery_rate"] * (1 + 2 * rebuild_support)):  # advanced_arms_delivery
            iran_military_capacity = clip(iran_military_capacity + 0.05)
            trust = clip(trust + 0.05)
            friction = clip(friction + 0.05)

        # 4. Mechanisms, in order; each sees the updates before it.
        oil_risk_premium = clip(  # fear_premium
            p["fear_premium_per_level"] * escalation + (1 - iran_export_share) * p["iran_offline_premium"], -60, 200
        )
        oil_risk_premium = clip(  # hormuz_premium
            oil_risk_premium
            + p["hormuz_disrupted_premium"] * (hormuz == 1)
            + p["hormuz_closed_premium"] * (hormuz == 2)
            - p["demand_destruction"] * recession_risk,
            -60, 200,
        )
        brent = clip(  # oil_price: log-normal noise and reversion toward baseline + premium
            brent * math.exp(volatility * rng.gauss(0.0, 1.0) - volatility**2 / 2)
            + p["price_reversion_rate"] * (p["brent_no_war"] + oil_risk_premium - brent), 20, 250
        )
        recession_risk = clip(  # recession_build_up
            recession_risk
            + 0.03 * max(brent - p["slump_threshold"], 0) / 10 * (1 - recession_risk)
            - 0.01 * recession_risk
        )
        russia_extra_revenue += (  # russian_windfall
            p["russia_export_volume"] * p["windfall_capture"] * (brent - p["brent_no_war"])
            * (1 - 0.5 * recession_risk) / 1000
        )
        russia_extra_revenue += (  # russian_market_share
            p["share_gain_volume"] * (1 - iran_export_share) * brent * p["windfall_capture"] / 1000
        )
        restraint *= 0.9  # restraint_fades
        us_attention = clip(  # us_attention_follows_war
            us_attention + 0.05 * (0.2 + 0.25 * escalation + 0.2 * (hormuz != 0) - us_attention)
        )
        ukraine_shortfall = clip(  # interceptor_diversion
            ukraine_shortfall + p["diversion_rate"] * (allocation == 1), 0, 100
        )
        domestic_support = clip(  # besieged_fortress
            domestic_support + 0.002 * (escalation >= 1) * (1 - domestic_support) + 0.001 * (escalation == 3)
        )
        friction = clip(friction - 0.005 * us_attention * friction)  # friction_eases
        munitions_dependence = clip(munitions_dependence * (1 - p["localisation_rate"]))  # munitions_localisation
        munitions_supply_loss = clip(munitions_dependence * (1 - iran_military_capacity))  # munitions_supply_loss
        arms_reputation = clip(arms_reputation - 0.003 * (strike == 1) * arms_reputation)  # s300_losses
        trust = clip(trust - 0.002 * (posture == 0) * (escalation >= 1))  # inaction_breeds_mistrust
        standing = clip(standing + 0.02 * talks_accepted, -20, 100)  # talks_prestige
        iran_military_capacity = clip(  # rebuild
            iran_military_capacity + 0.004 * rebuild_support * (1 - iran_military_capacity)
        )
        rebuild_support *= 0.95  # rebuild_fades
        regime_stability = clip(  # regime_stability
            regime_stability + p["repression_support"] * (1 - regime_stability)
            - p["war_stress"] * escalation - 0.002 * (1 - iran_export_share)
        )
        standing = clip(standing - 0.01 * collapsed, -20, 100)  # partner_loss_weighs

        ever_talks = ever_talks or talks_accepted
        ever_red_line = ever_red_line or escalation == 3
        ever_hormuz = ever_hormuz or hormuz != 0
        ever_direct_help = ever_direct_help or posture == 5

    return (
        ever_talks,
        ever_red_line,
        ever_hormuz,
        brent,
        russia_extra_revenue,
        ukraine_shortfall,
        ever_direct_help,
        collapsed,
        standing,
    )
