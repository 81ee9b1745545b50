"""The maps: Kota Malang's outlines for every map, and the department's open reports on
/officer/peta. Leaflet (api/static/vendor/leaflet) draws them; api/static/map.js says so
when the base tiles cannot be loaded, and the outlines and points still show."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Template

from api.guards import QUEUE_ROLES, SIGNED_IN, SignedInUser, allow, working_department
from api.pages.base import PageController, render
from core.catalogue.public import list_departments
from core.place.boundaries import areas
from core.reports.queue_map import MAX_POINTS, open_points


class OutlinePages(PageController):
    path = "/peta"

    @get("/batas.json", cache=3600)
    async def outlines(self) -> Response[bytes]:
        """The city and its kecamatan as GeoJSON: public data, the same for everyone."""
        collection = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"kind": area.kind, "name": area.name},
                    "geometry": area.geometry,
                }
                for area in areas()
                if area.kind != "neighbour"
            ],
        }
        return Response(msgspec.json.encode(collection), media_type="application/geo+json")


class MapPages(PageController):
    path = "/officer/peta"
    dependencies = SIGNED_IN

    @get("/", guards=[allow(QUEUE_ROLES)])
    async def department_map(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        department: FromQuery[str | None] = None,
    ) -> Template:
        working = await working_department(user, department)
        points = await open_points(department_id=working["id"]) if working else []
        return await render(
            request,
            "officer/map.html",
            department=working,
            departments=await list_departments() if working is None else [],
            points=points,
            # Read by map.js from a <script type="application/json">; `tojson` escapes it.
            points_data=msgspec.to_builtins(points),
            max_points=MAX_POINTS,
        )
