"""The store: an embedded DuckDB database of ingested articles, mentions, events and
observations (with when each happened, was reported and was ingested)."""

from realpolitik.store._store import NewObservation, Store, StoredObservation, default_store_path

__all__ = ["NewObservation", "Store", "StoredObservation", "default_store_path"]
