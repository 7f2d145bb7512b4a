"""The benchmarks' reference model (peers/reference-model.yaml, the bundled scenario before its rebuild) as a Mesa 3 model.

As a Mesa user would write it: each Monte Carlo run is a ``CrisisModel`` whose five
deciding actors are agents. A step is staged as in Mesa's simultaneous activation:
``shuffle_do("choose")`` lets every actor pick its option from the state at the start
of the step (quantal response; the order does not matter because nobody writes the
world while choosing), ``do("act")`` applies the chosen options' effects in the
scenario's declaration order (the agents' insertion order), then the model fires the
events and runs the mechanisms. The world's variables are attributes of the model.

The dynamics are transcribed by hand from
``benchmarks/peers/reference-model.yaml``; only the priors are read from
the scenario. Codes: escalation calm=0, military_sites=1, tit_for_tat=2,
red_line=3; hormuz open=0, disrupted=1, closed=2; options are numbered in the order
the scenario lists them. Every write is clipped to the variable's bounds.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from ._common import PARAMETERS, QUESTIONS, draw_parameters, mean, proportion, quantal_choice

__all__ = ["simulate", "CrisisModel"]

INF = math.inf

#: First word of every run's seed, so that these streams differ from any other peer's.
_STREAM = 0x4D455341  # "MESA"


def clip(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return low if x < low else high if x > high else x


def simulate(runs: int, seed: int, steps: int = 180) -> dict[str, dict[str, float]]:
    """The scenario's nine answers at day ``steps``, each with its standard error."""
    generators = [np.random.default_rng([_STREAM, seed, run]) for run in range(runs)]
    # A run's generator first gives the uniforms of its parameters (mapped through the
    # priors for all runs at once), then seeds its model.
    params = draw_parameters(np.stack([g.random(len(PARAMETERS)) for g in generators]))
    outcomes = []
    for run in range(runs):
        model = CrisisModel(params[run], rng=generators[run])
        for _ in range(steps):
            model.step()
        outcomes.append(model.outcomes())
    columns = dict(zip(QUESTIONS, zip(*outcomes)))
    return {
        name: proportion(sum(columns[name]), runs) if kind == "probability" else mean(columns[name])
        for name, kind in QUESTIONS.items()
    }


class Actor(mesa.Agent):
    """An actor with one decision; ``choice`` is the index of its current option."""

    def __init__(self, model: CrisisModel, rationality: float, initial: int) -> None:
        super().__init__(model)
        self.rationality = rationality
        self.choice = initial
        self.pending = initial

    def utilities(self) -> list[float]:
        """Utility of every option on the current state; -inf where infeasible."""
        raise NotImplementedError

    def effects(self) -> None:
        """Apply the effects of the current choice to the world (none by default)."""

    def choose(self) -> None:
        self.pending = quantal_choice(self.random, self.rationality, self.utilities())

    def act(self) -> None:
        self.choice = self.pending
        self.effects()


class Israel(Actor):
    """strike_policy: pause, strike_military, strike_production, strike_civilian_nuclear."""

    def utilities(self) -> list[float]:
        m = self.model
        # Interest degrade_iran, -3 * iran_military_capacity, as each option would leave it.
        interest = -3 * m.iran_military_capacity
        return [
            -2 + 3 * m.talks_accepted + 4 * (m.iran_military_capacity < 0.25) + interest,  # pause
            0.5 + interest + 3 * 0.002,  # strike_military
            interest + 3 * 0.006,  # strike_production
            (-m.p["red_line_cost"] + 1.5 * (m.iran.choice == 2) + interest)  # strike_civilian_nuclear
            if m.escalation >= 2 else -INF,
        ]

    def effects(self) -> None:
        m = self.model
        if self.choice == 1:  # strike_military
            m.escalation = max(m.escalation, 1)
            m.iran_military_capacity = clip(m.iran_military_capacity - 0.002)
        elif self.choice == 2:  # strike_production
            m.escalation = max(m.escalation, 1)
            m.iran_military_capacity = clip(m.iran_military_capacity - 0.006)
        elif self.choice == 3:  # strike_civilian_nuclear
            m.escalation = 3
            m.iran_export_share = clip(m.iran_export_share * 0.8)


class Iran(Actor):
    """iran_response: absorb, limited_retaliation, major_retaliation, disrupt_hormuz, accept_talks."""

    def utilities(self) -> list[float]:
        m, p = self.model, self.model.p
        struck = m.israel.choice != 0
        return [
            p["posture_inertia"] * (self.choice == 0),  # absorb
            p["face_weight"] * struck - 1.5 - 2 * m.restraint,  # limited_retaliation
            p["face_weight"] * struck - 4.5 - 3 * m.restraint,  # major_retaliation
            # disrupt_hormuz
            (-p["hormuz_cost"] + 2 * (1 - m.regime_stability) + (m.escalation == 3) - 4 * m.restraint)
            if m.hormuz == 0 else -INF,
            # accept_talks
            (-p["talks_cost"] + p["face_saving_value"] * (1 + (m.gulf.choice == 1)) + (m.escalation >= 2)
             + (1 - m.iran_military_capacity)) if m.talks_offered and not m.talks_accepted else -INF,
        ]

    def effects(self) -> None:
        m = self.model
        if self.choice == 1:  # limited_retaliation
            m.escalation = max(m.escalation, 2)
            m.retaliation_rounds += 1
        elif self.choice == 2:  # major_retaliation
            m.escalation = max(m.escalation, 2)
            m.retaliation_rounds += 2
        elif self.choice == 3:  # disrupt_hormuz
            m.hormuz = 1
        elif self.choice == 4:  # accept_talks
            m.talks_accepted = True
            m.standing = clip(m.standing + 10, -20, 100)


class Russia(Actor):
    """russia_posture: condemn_only, host_talks, veto_resolution, help_rebuild, restrain_iran,
    direct_military_help."""

    def utilities(self) -> list[float]:
        m, p = self.model, self.model.p
        # Interest mediation_prestige, 0.1 * standing, as each option would leave it.
        interest = 0.1 * m.standing
        inertia = p["posture_inertia"]
        return [
            inertia * (self.choice == 0) + interest,  # condemn_only
            (p["mediation_value"] - 1 + inertia * (self.choice == 1) + interest + 0.1 * 0.05)  # host_talks
            if not m.talks_accepted else -INF,
            (p["veto_value"] + interest + 0.1 * 1) if m.resolution_pending else -INF,  # veto_resolution
            # help_rebuild
            -3 + p["stable_iran_weight"] * (1 - m.regime_stability) + 2 * (0.7 - m.iran_military_capacity) + interest,
            -2 + p["controlled_tension_weight"] * (  # restrain_iran
                max(m.brent - p["tension_band_high"], 0) / 20 + (m.hormuz != 0) + 0.5 * (m.escalation >= 2)
            ) + interest,
            # direct_military_help
            (-p["direct_help_cost"] + p["stable_iran_weight"] * (1 - m.regime_stability) + interest)
            if m.escalation >= 1 else -INF,
        ]

    def effects(self) -> None:
        m = self.model
        if self.choice == 1:  # host_talks
            m.talks_offered = True
            m.standing = clip(m.standing + 0.05, -20, 100)
        elif self.choice == 2:  # veto_resolution
            m.resolution_pending = False
            m.standing = clip(m.standing + 1, -20, 100)
            m.trust = clip(m.trust + 0.05)
        elif self.choice == 3:  # help_rebuild
            m.rebuild_support = 1.0
            m.trust = clip(m.trust + 0.01)
            m.friction = clip(m.friction + 0.01)
        elif self.choice == 4:  # restrain_iran
            m.restraint = 1.0
        elif self.choice == 5:  # direct_military_help
            m.friction = clip(m.friction + 0.2)
            m.trust = clip(m.trust + 0.2)


class UnitedStates(Actor):
    """interceptor_allocation: keep_ukraine_share, divert_to_middle_east."""

    def utilities(self) -> list[float]:
        m, p = self.model, self.model.p
        inertia = p["posture_inertia"]
        return [
            2 * inertia * (self.choice == 0),  # keep_ukraine_share
            -p["divert_cost"] + 4 * m.us_attention + (m.escalation >= 2) + 2 * inertia * (self.choice == 1),
        ]


class GulfStates(Actor):
    """gulf_posture: stay_aside, facilitate_talks."""

    def utilities(self) -> list[float]:
        m, p = self.model, self.model.p
        inertia = p["posture_inertia"]
        return [
            inertia * (self.choice == 0),  # stay_aside
            -3 + 1.5 * m.talks_offered + (m.escalation >= 2) + 2 * (m.hormuz != 0) + inertia * (self.choice == 1),
        ]


class CrisisModel(mesa.Model):
    """One Monte Carlo run of the crisis; ``p`` holds the run's parameters."""

    def __init__(self, p: dict[str, float], rng: np.random.Generator) -> None:
        super().__init__(rng=rng)
        self.p = p
        self.escalation = 1
        self.hormuz = 0
        self.iran_export_share = clip(p["iran_initial_exports"])
        self.oil_risk_premium = clip(
            p["fear_premium_per_level"] * self.escalation + (1 - self.iran_export_share) * p["iran_offline_premium"],
            -60, 200,
        )
        self.brent = 95.74
        self.russia_extra_revenue = 0.0
        self.iran_military_capacity = 0.7
        # Variables no question asks about (munitions, domestic support, arms
        # reputation) are kept up to date all the same, as the engine does.
        self.munitions_dependence = clip(p["initial_munitions_dependence"])
        self.munitions_supply_loss = clip(self.munitions_dependence * (1 - self.iran_military_capacity))
        self.ukraine_shortfall = 0.0
        self.us_attention = 0.5
        self.domestic_support = 0.6
        self.regime_stability = clip(p["iran_initial_stability"])
        self.trust = 0.35  # Iran's trust in Russia
        self.friction = 0.5  # Russia-US friction
        self.arms_reputation = 0.6
        self.standing = 0.0  # Russia's mediation standing (prestige points, bounds -20..100)
        self.recession_risk = 0.0
        self.talks_offered = self.talks_accepted = self.resolution_pending = False
        self.restraint = 0.0
        self.rebuild_support = 0.0
        self.retaliation_rounds = 0.0
        self.collapsed = False  # event iran_state_collapse has fired (once)

        # Agents in the scenario's declaration order: do("act") applies effects in it.
        self.israel = Israel(self, p["israel_rationality"], initial=1)  # strike_military
        self.iran = Iran(self, p["iran_rationality"], initial=0)  # absorb
        self.russia = Russia(self, p["russia_rationality"], initial=0)  # condemn_only
        self.united_states = UnitedStates(self, p["us_rationality"], initial=0)  # keep_ukraine_share
        self.gulf = GulfStates(self, p["gulf_rationality"], initial=0)  # stay_aside

        # "By the horizon" questions, with day 0 included.
        self.ever_talks = self.ever_red_line = self.ever_hormuz = self.ever_direct_help = False
        self.observe()

    def step(self) -> None:
        self.agents.shuffle_do("choose")
        self.agents.do("act")
        self.fire_events()
        self.run_mechanisms()
        self.observe()

    def fires(self, hazard: float) -> bool:
        """Whether an event with this daily hazard fires today."""
        return self.random.random() < -math.expm1(-max(hazard, 0.0))

    def fire_events(self) -> None:
        """The scenario's events, in order; each sees the effects of the ones before."""
        p = self.p
        if not self.resolution_pending and self.fires(
            0.01 + 0.02 * (self.escalation >= 2) + 0.03 * (self.hormuz != 0)
        ):
            self.resolution_pending = True  # unsc_resolution_tabled
        if self.escalation == 2 and self.fires(p["spiral_rate"] * (1 + self.retaliation_rounds / 5)):
            self.escalation = 3  # escalation_spiral
        if (
            0 < self.escalation < 3
            and self.israel.choice == 0
            and self.iran.choice == 0
            and self.fires(0.01 + 0.04 * self.talks_accepted)
        ):
            self.escalation -= 1  # de_escalation
        if self.fires(0.004 * self.escalation):  # energy_infrastructure_hit
            self.iran_export_share = clip(self.iran_export_share * self.random.uniform(0.5, 0.9))
        if self.iran_export_share < 0.95 and self.fires(0.03):  # energy_repairs
            self.iran_export_share = min(self.iran_export_share + 0.1, 1.0)
        if self.hormuz == 1 and self.fires(0.02 + 0.03 * (self.escalation == 3)):  # hormuz_closure
            self.hormuz = 2
        if self.hormuz != 0 and self.fires(0.03 + 0.05 * self.restraint):  # hormuz_reopening
            self.hormuz -= 1
        if not self.collapsed and self.fires(p["collapse_scale"] * (1 - self.regime_stability) ** 4):
            self.collapsed = True  # iran_state_collapse
            self.standing = clip(self.standing - 5, -20, 100)
        if self.fires(0.01 * (1 - self.trust) * (self.russia.choice == 0)):  # irgc_frustration_leak
            self.trust = clip(self.trust - 0.03)
        if self.fires(p["su35_delivery_rate"] * (1 + 2 * self.rebuild_support)):  # advanced_arms_delivery
            self.iran_military_capacity = clip(self.iran_military_capacity + 0.05)
            self.trust = clip(self.trust + 0.05)
            self.friction = clip(self.friction + 0.05)

    def run_mechanisms(self) -> None:
        """The scenario's mechanisms, in order; each sees the updates before it."""
        p = self.p
        vol = p["brent_daily_volatility"]
        self.oil_risk_premium = clip(  # fear_premium
            p["fear_premium_per_level"] * self.escalation + (1 - self.iran_export_share) * p["iran_offline_premium"],
            -60, 200,
        )
        self.oil_risk_premium = clip(  # hormuz_premium
            self.oil_risk_premium
            + p["hormuz_disrupted_premium"] * (self.hormuz == 1)
            + p["hormuz_closed_premium"] * (self.hormuz == 2)
            - p["demand_destruction"] * self.recession_risk,
            -60, 200,
        )
        self.brent = clip(  # oil_price
            self.brent * math.exp(vol * self.random.gauss(0.0, 1.0) - vol**2 / 2)
            + p["price_reversion_rate"] * (p["brent_no_war"] + self.oil_risk_premium - self.brent),
            20, 250,
        )
        self.recession_risk = clip(  # recession_build_up
            self.recession_risk
            + 0.03 * max(self.brent - p["slump_threshold"], 0) / 10 * (1 - self.recession_risk)
            - 0.01 * self.recession_risk
        )
        self.russia_extra_revenue += (  # russian_windfall
            p["russia_export_volume"] * p["windfall_capture"] * (self.brent - p["brent_no_war"])
            * (1 - 0.5 * self.recession_risk) / 1000
        )
        self.russia_extra_revenue += (  # russian_market_share
            p["share_gain_volume"] * (1 - self.iran_export_share) * self.brent * p["windfall_capture"] / 1000
        )
        self.restraint *= 0.9  # restraint_fades
        self.us_attention = clip(  # us_attention_follows_war
            self.us_attention
            + 0.05 * (0.2 + 0.25 * self.escalation + 0.2 * (self.hormuz != 0) - self.us_attention)
        )
        self.ukraine_shortfall = clip(  # interceptor_diversion
            self.ukraine_shortfall + p["diversion_rate"] * (self.united_states.choice == 1), 0, 100
        )
        self.domestic_support = clip(  # besieged_fortress
            self.domestic_support
            + 0.002 * (self.escalation >= 1) * (1 - self.domestic_support)
            + 0.001 * (self.escalation == 3)
        )
        self.friction = clip(self.friction - 0.005 * self.us_attention * self.friction)  # friction_eases
        self.munitions_dependence = clip(  # munitions_localisation
            self.munitions_dependence * (1 - p["localisation_rate"])
        )
        self.munitions_supply_loss = clip(  # munitions_supply_loss
            self.munitions_dependence * (1 - self.iran_military_capacity)
        )
        self.arms_reputation = clip(  # s300_losses
            self.arms_reputation - 0.003 * (self.israel.choice == 1) * self.arms_reputation
        )
        self.trust = clip(  # inaction_breeds_mistrust
            self.trust - 0.002 * (self.russia.choice == 0) * (self.escalation >= 1)
        )
        self.standing = clip(self.standing + 0.02 * self.talks_accepted, -20, 100)  # talks_prestige
        self.iran_military_capacity = clip(  # rebuild
            self.iran_military_capacity + 0.004 * self.rebuild_support * (1 - self.iran_military_capacity)
        )
        self.rebuild_support *= 0.95  # rebuild_fades
        self.regime_stability = clip(  # regime_stability
            self.regime_stability
            + p["repression_support"] * (1 - self.regime_stability)
            - p["war_stress"] * self.escalation
            - 0.002 * (1 - self.iran_export_share)
        )
        self.standing = clip(self.standing - 0.01 * self.collapsed, -20, 100)  # partner_loss_weighs

    def observe(self) -> None:
        self.ever_talks = self.ever_talks or self.talks_accepted
        self.ever_red_line = self.ever_red_line or self.escalation == 3
        self.ever_hormuz = self.ever_hormuz or self.hormuz != 0
        self.ever_direct_help = self.ever_direct_help or self.russia.choice == 5

    def outcomes(self) -> tuple:
        """The run's outcomes, in the order of ``QUESTIONS``."""
        return (
            self.ever_talks,
            self.ever_red_line,
            self.ever_hormuz,
            self.brent,
            self.russia_extra_revenue,
            self.ukraine_shortfall,
            self.ever_direct_help,
            self.collapsed,
            self.standing,
        )
