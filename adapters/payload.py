"""Reading platform JSON defensively: a field may be missing, null, or of another type."""

from __future__ import annotations

from typing import Any


def obj(value: object) -> dict[str, Any]:
    """A nested object of a payload, or an empty one where the platform sent something else."""
    return value if isinstance(value, dict) else {}
