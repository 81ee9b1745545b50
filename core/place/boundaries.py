"""Which side of Kota Malang's boundary a point lies, and in which kecamatan.

The one rule for every channel (bot, web form, JSON API, Open311): a report's point must lie
in the city; a point outside is refused with the name of where to report instead.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from shapely import prepared
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from core.errors import InvalidInput
from core.place.models import Area
from i18n import N_

_SOURCE = Path(__file__).with_name("boundaries.geojson")
CITY = "Kota Malang"
KECAMATAN = ("Blimbing", "Kedungkandang", "Klojen", "Lowokwaru", "Sukun")
NEIGHBOURS = ("Kabupaten Malang", "Kota Batu")
# A point outside the city is sent to the neighbour it lies in, or to the nearer one within
# this distance (the outlines are simplified, so a point just outside the city may fall between
# them). Farther from both, it lies in another kabupaten: the citizen is told to report to the
# local government there, naming no neighbour.
NEAR_KM = 2.0
_KM_PER_DEGREE = 111.0


@cache
def areas() -> tuple[Area, ...]:
    """Every outline of boundaries.geojson, read once."""
    collection: dict[str, Any] = json.loads(_SOURCE.read_text())
    return tuple(
        Area(
            kind=feature["properties"]["kind"],
            name=feature["properties"]["name"],
            code=feature["properties"]["code"],
            geometry=feature["geometry"],
        )
        for feature in collection["features"]
    )


@cache
def kelurahan() -> dict[str, str]:
    """Each kelurahan's name and the kecamatan it lies in."""
    collection: dict[str, Any] = json.loads(_SOURCE.read_text())
    return {
        village: feature["properties"]["name"]
        for feature in collection["features"]
        if feature["properties"]["kind"] == "kecamatan"
        for village in feature["properties"]["kelurahan"]
    }


@cache
def _shapes() -> dict[str, BaseGeometry]:
    return {area.name: shape(area.geometry) for area in areas()}


@cache
def _prepared() -> dict[str, Any]:
    return {name: prepared.prep(geometry) for name, geometry in _shapes().items()}


def in_city(latitude: float, longitude: float) -> bool:
    return bool(_prepared()[CITY].covers(Point(longitude, latitude)))


def kecamatan_at(latitude: float, longitude: float) -> str | None:
    """The kecamatan a point lies in; None outside the city. A point of the city that the
    simplified outlines leave between two kecamatan belongs to the nearest."""
    point = Point(longitude, latitude)
    if not _prepared()[CITY].covers(point):
        return None
    for name in KECAMATAN:
        if _prepared()[name].covers(point):
            return name
    return min(KECAMATAN, key=lambda name: _shapes()[name].distance(point))


def neighbour_at(latitude: float, longitude: float) -> str | None:
    """Where a point outside the city should be reported: the neighbour it lies in or is
    nearest to; None when it is far from both (not in Malang Raya)."""
    point = Point(longitude, latitude)
    distances = {name: _shapes()[name].distance(point) * _KM_PER_DEGREE for name in NEIGHBOURS}
    nearest = min(NEIGHBOURS, key=lambda name: distances[name])
    return nearest if distances[nearest] <= NEAR_KM else None


def ensure_in_city(*, latitude: float, longitude: float) -> str:
    """The kecamatan of a report's point; a point outside Kota Malang is refused, naming
    where to report it instead."""
    found = kecamatan_at(latitude, longitude)
    if found is not None:
        return found
    neighbour = neighbour_at(latitude, longitude)
    if neighbour is None:
        raise InvalidInput(
            N_(
                "Lokasi ini di luar Kota Malang, dan juga di luar Kabupaten Malang dan Kota "
                "Batu. Laporkan kepada pemerintah daerah tempat lokasi itu berada."
            ),
            field="location",
        )
    raise InvalidInput(
        N_(
            "Lokasi ini di luar Kota Malang, di wilayah %(neighbour)s. Kami hanya menangani "
            "laporan di Kota Malang; laporkan kepada Pemerintah %(neighbour)s."
        ),
        neighbour=neighbour,
        field="location",
    )
