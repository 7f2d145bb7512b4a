"""Holding a scenario to the record: forecasts, backtests against past rounds, calibration.

``forecast`` answers "where will this be on these days"; ``backtest`` runs each past
round's variant from its start and scores the forecasts (CRPS, Brier, log score)
beside naive baselines; ``rolling_backtest`` forecasts from several dates inside each
round, each on only what was known by then, and scores them the same way; ``calibrate`` fits the uncertain parameters to the rounds by
ABC-SMC and measures out of sample whether the fit helps. The data (EIA Brent, the
episodes) are read from paths given by the caller.
"""

from realpolitik.validation.backtest import (
    CURRENT_AS_OF,
    DEFAULT_OUTCOMES,
    ESCALATION_REPORTS,
    OIL_DAYS,
    ROLLING_DAYS,
    ROLLING_OFFSETS,
    AsOfForecast,
    AsOfScore,
    Backtest,
    EventScore,
    Headline,
    OilScore,
    Outcome,
    RollingBacktest,
    RollingRound,
    RollingRoundScore,
    Round,
    RoundScore,
    backtest,
    base_rates,
    episode_reports,
    find_rounds,
    forecast_as_of,
    moved_start,
    rolling_backtest,
    rolling_rounds,
    score_as_of,
    score_round,
)
from realpolitik.validation.calibrate import Calibration, Fit, Generation, HeldOut, ParameterFit, abc_smc, calibratable, calibrate, fitted_prior
from realpolitik.validation.forecast import FORECAST_QUANTILES, Forecast, forecast
from realpolitik.validation.history import DataError, Episode, OilSeries, read_episodes, read_oil
from realpolitik.validation.scoring import brier_score, crps_ensemble, crps_lognormal, crps_normal, log_score

__all__ = [
    "CURRENT_AS_OF",
    "DEFAULT_OUTCOMES",
    "ESCALATION_REPORTS",
    "FORECAST_QUANTILES",
    "OIL_DAYS",
    "ROLLING_DAYS",
    "ROLLING_OFFSETS",
    "AsOfForecast",
    "AsOfScore",
    "Backtest",
    "Calibration",
    "DataError",
    "Episode",
    "EventScore",
    "Fit",
    "Forecast",
    "Generation",
    "Headline",
    "HeldOut",
    "OilScore",
    "OilSeries",
    "Outcome",
    "ParameterFit",
    "RollingBacktest",
    "RollingRound",
    "RollingRoundScore",
    "Round",
    "RoundScore",
    "abc_smc",
    "backtest",
    "base_rates",
    "brier_score",
    "calibratable",
    "calibrate",
    "crps_ensemble",
    "crps_lognormal",
    "crps_normal",
    "episode_reports",
    "find_rounds",
    "fitted_prior",
    "forecast",
    "forecast_as_of",
    "log_score",
    "moved_start",
    "read_episodes",
    "read_oil",
    "rolling_backtest",
    "rolling_rounds",
    "score_as_of",
    "score_round",
]
