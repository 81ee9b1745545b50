"""Rebuilds `boundaries.geojson` from cahyadsn/wilayah_boundaries (see SOURCE.md).

Not used at run time. Run from a checkout of that repository's SQL files:

    python -m core.place.build_boundaries KEL_35.73.sql KEC_35.sql KAB_35.sql

Each kecamatan is the union of its kelurahan (the source's kelurahan outlines are finer than its
kecamatan ones); the city is the union of the five; slivers between neighbouring kelurahan are
closed, and every outline simplified to about 15 m. Kabupaten Malang and Kota Batu, the
neighbours a citizen is sent to, come from the source's kabupaten/kota outlines, simplified more.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.validation import make_valid

OUT = Path(__file__).with_name("boundaries.geojson")
_ROW = re.compile(r"\('([\d.]+)','([^']+)',(-?[\d.]+),(-?[\d.]+),'(\[.*\])'\)")
CITY = "35.73"
NEIGHBOURS = {"35.07": "Kabupaten Malang", "35.79": "Kota Batu"}
CLOSE = 0.0003  # degrees (about 30 m): gaps narrower than this between kelurahan are closed
FINE = 0.00015  # simplification of the city and its kecamatan (about 15 m)
COARSE = 0.001  # of the neighbours (about 100 m); they only decide which one a citizen is sent to
DIGITS = 5  # about 1 m


def _rows(path: Path) -> list[tuple[str, str, Any]]:
    found = []
    for line in path.read_text().splitlines():
        match = _ROW.search(line)
        if match:
            found.append((match.group(1), match.group(2), json.loads(match.group(5))))
    return found


def _geometry(path: Any) -> BaseGeometry:
    """The source writes [lat, lng] pairs, nested as a polygon or a multipolygon."""

    def ring(points: list[list[float]]) -> list[tuple[float, float]]:
        return [(lng, lat) for lat, lng in points]

    if isinstance(path[0][0][0], list):
        polygons = [Polygon(ring(p[0]), [ring(h) for h in p[1:]]) for p in path]
        return make_valid(MultiPolygon(polygons))
    return make_valid(Polygon(ring(path[0]), [ring(h) for h in path[1:]]))


def _solid(geometry: BaseGeometry) -> BaseGeometry:
    """Without the holes and slivers the union of separately drawn outlines leaves."""
    closed = geometry.buffer(CLOSE, join_style="mitre").buffer(-CLOSE, join_style="mitre")
    parts = closed.geoms if isinstance(closed, MultiPolygon) else [closed]
    return unary_union([Polygon(part.exterior) for part in parts if part.area > 1e-7])


def _rounded(geometry: BaseGeometry) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, DIGITS)
        return [walk(item) for item in value]

    shape = mapping(geometry)
    return {"type": shape["type"], "coordinates": walk(shape["coordinates"])}


def _feature(
    kind: str, name: str, code: str, geometry: BaseGeometry, **more: Any
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": name, "code": code, **more},
        "geometry": _rounded(geometry),
    }


def build(kelurahan: Path, kecamatan: Path, kabupaten: Path) -> dict[str, Any]:
    kel = [(c, n, _geometry(p)) for c, n, p in _rows(kelurahan) if c.startswith(CITY + ".")]
    names = {code: name for code, name, _ in _rows(kecamatan) if code.startswith(CITY + ".")}
    districts: dict[str, BaseGeometry] = {}
    for code in sorted(names):
        members = [g for c, _, g in kel if c.startswith(code + ".")]
        districts[code] = _solid(unary_union(members))
    city = _solid(unary_union(list(districts.values())))
    features = [_feature("city", "Kota Malang", CITY, city.simplify(FINE))]
    for code, geometry in districts.items():
        # Each kecamatan is cut to the city so the two never disagree on a point.
        shape = geometry.intersection(city).simplify(FINE)
        villages = sorted(n for c, n, _ in kel if c.startswith(code + "."))
        features.append(_feature("kecamatan", names[code], code, shape, kelurahan=villages))
    for code, _, path in _rows(kabupaten):
        if code in NEIGHBOURS:
            outline = _geometry(path).simplify(COARSE)
            features.append(_feature("neighbour", NEIGHBOURS[code], code, outline))
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    kel_sql, kec_sql, kab_sql = (Path(arg) for arg in sys.argv[1:4])
    OUT.write_text(json.dumps(build(kel_sql, kec_sql, kab_sql), separators=(",", ":")) + "\n")
    print(OUT, OUT.stat().st_size, "bytes")
