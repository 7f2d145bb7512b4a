"""The public surface of realpolitik.validation is pinned."""

from __future__ import annotations

import realpolitik.validation as validation


def test_public_names_are_pinned() -> None:
    assert sorted(validation.__all__) == sorted(
        [
            "DEFAULT_OUTCOMES", "FORECAST_QUANTILES", "OIL_DAYS",
            "Backtest", "Calibration", "DataError", "Episode", "EventScore", "Fit", "Forecast", "Generation", "Headline",
            "HeldOut", "OilScore", "OilSeries", "Outcome", "ParameterFit", "Round", "RoundScore",
            "abc_smc", "backtest", "base_rates", "brier_score", "calibratable", "calibrate", "crps_ensemble", "crps_lognormal",
            "crps_normal", "find_rounds", "fitted_prior", "forecast", "log_score", "read_episodes", "read_oil", "score_round",
            # the rolling backtest: forecasts as of dates inside each round
            "AsOfForecast", "AsOfScore", "CURRENT_AS_OF", "ESCALATION_REPORTS", "ROLLING_DAYS", "ROLLING_OFFSETS", "RollingBacktest",
            "RollingRound", "RollingRoundScore", "episode_reports", "forecast_as_of", "moved_start", "rolling_backtest", "rolling_rounds",
            "score_as_of",
        ]
    )
    for name in validation.__all__:
        assert hasattr(validation, name), name
