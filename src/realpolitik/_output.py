"""What every result object shares: JSON text and an atomic Parquet file.

A result class defines ``to_dict()`` (plain data) and ``to_arrow()`` (a table) and
inherits :class:`ResultOutput` for ``to_json()`` and ``write_parquet()``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from realpolitik._atomic import atomic_path

__all__ = ["ResultOutput", "json_ready"]


def json_ready(value: Any) -> Any:
    """``value`` with every NaN or infinity replaced by ``None`` (JSON has neither).

    Example:
        >>> json_ready({"a": [1.0, float("nan")]})
        {'a': [1.0, None]}
    """
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value


class ResultOutput:
    """Mixin: ``to_json()`` from ``to_dict()``, ``write_parquet()`` from ``to_arrow()``."""

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - defined by each result
        raise NotImplementedError

    def to_arrow(self) -> Any:  # pragma: no cover - defined by each result
        raise NotImplementedError

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`, NaN written as null."""
        return json.dumps(json_ready(self.to_dict()), indent=2)

    def write_parquet(self, path: str | Path) -> Path:
        """Write :meth:`to_arrow` to a Parquet file, atomically (no partial file on error)."""
        import pyarrow.parquet as pq

        path = Path(path)
        table = self.to_arrow()
        with atomic_path(path) as tmp:
            pq.write_table(table, tmp)
        return path
