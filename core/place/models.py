"""What core.place answers with."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

AreaKind = Literal["city", "kecamatan", "neighbour"]


class Area(msgspec.Struct, frozen=True, kw_only=True):
    """One outline of boundaries.geojson: the city, a kecamatan, or a neighbour a citizen is
    sent to. `geometry` is GeoJSON (WGS84, longitude first), as a map draws it."""

    kind: AreaKind
    name: str
    code: str
    geometry: dict[str, Any]
