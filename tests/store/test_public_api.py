"""The store package's public surface is pinned."""

from __future__ import annotations

import realpolitik.store as store


def test_public_names_are_pinned() -> None:
    assert sorted(store.__all__) == ["NewObservation", "Store", "StoredObservation", "default_store_path"]
    for name in store.__all__:
        assert hasattr(store, name)
