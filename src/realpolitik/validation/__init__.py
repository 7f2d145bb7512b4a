"""Holding a scenario to the record: forecasts, backtests against past rounds, calibration.

``forecast`` answers "where will this be on these days"; ``backtest`` runs each past
round's variant from its start and scores the forecasts (CRPS, Brier, log score)
beside naive baselines; ``calibrate`` fits the uncertain parameters to the rounds by
ABC-SMC and measures out of sample whether the fit helps. The data (EIA Brent, the
episodes) are read from paths given by the caller.
"""

from realpolitik.validation.backtest import (
    DEFAULT_OUTCOMES,
    OIL_DAYS,
    Backtest,
    EventScore,
    Headline,
    OilScore,
    Outcome,
    Round,
    RoundScore,
    backtest,
    base_rates,
    find_rounds,
    score_round,
)
from realpolitik.validation.calibrate import Calibration, Fit, Generation, HeldOut, ParameterFit, abc_smc, calibratable, calibrate, fitted_prior
from realpolitik.validation.forecast import FORECAST_QUANTILES, Forecast, forecast
from realpolitik.validation.history import DataError, Episode, OilSeries, read_episodes, read_oil
from realpolitik.validation.scoring import brier_score, crps_ensemble, crps_lognormal, crps_normal, log_score

__all__ = [
    "DEFAULT_OUTCOMES",
    "FORECAST_QUANTILES",
    "OIL_DAYS",
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
    "find_rounds",
    "fitted_prior",
    "forecast",
    "log_score",
    "read_episodes",
    "read_oil",
    "score_round",
]
