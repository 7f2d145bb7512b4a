"""Hand-written peers of the bundled scenario, for ``bench_engine.py``."""
