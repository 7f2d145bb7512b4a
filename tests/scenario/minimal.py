"""A small valid scenario used across tests, written out by hand."""

MINIMAL = """\
name: minimal
clock: {start: 2026-01-01, step_days: 1, horizon_days: 30}
parameters:
  rate: {prior: {dist: uniform, low: 0.01, high: 0.05}, cites: [M1]}
variables:
  price: {type: continuous, bounds: [0, 500], initial: 100, cites: [V1]}
  ladder: {type: levels, levels: [low, mid, high], initial: low}
  flag: {type: boolean}
actors:
  state:
    rationality: 1
    decisions:
      stance:
        options:
          wait: {}
          push: {utility: -1, effects: {ladder: "min(ladder + 1, high)"}}
events:
  shock:
    hazard: rate
    effects: {flag: true}
mechanisms:
  drift:
    target: price
    update: "price * (1 + 0.01 * ladder)"
questions:
  shocked:
    kind: probability
    text: Does the shock happen?
    condition: shock > 0
    checkpoints: [10]
  price_end:
    kind: quantiles
    text: Where is the price?
    value: price
"""
