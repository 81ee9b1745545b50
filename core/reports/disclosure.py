"""What leaves the department about where a report is and who sent it: one rule, read by
every door that shows a report to someone outside the department's staff (the public report
by tracking code on the API and the tracking page, Open311 single and list, JSON and XML,
and the CSV export, because an export leaves the system).

- public report: text, address and the exact location are published; the reporter's name and
  contact details never are.
- anonymous: the text is published; the address never, the location only as the centre of
  its 0.001° grid cell (about 110 m in Kota Malang), so it says the street, not the house;
  name and contact details never. The sender is still one citizen to the city (limits,
  blocking, being told of progress), never to the public.
- confidential: neither text nor address nor location is published at all; Open311 and the
  public lists leave the report out entirely, the tracking page shows its status only.
- photos (from the web form) are published for a public report only: a photo can show the
  house an anonymous report's location hides, and a confidential report's content.

The department's staff (report page, staff API, the department's own webhooks) see the exact
location and address: they have to go there. On the report page and the staff API they also
see the reporter's name and contact of a report that is neither anonymous nor confidential, so
they can ask for details; of an anonymous or confidential one, never.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from core.reports.models import ReporterContact

# 0.001° of latitude is 111 m; of longitude at 8° south, 110 m.
GRID_DEGREES = 0.001
# Cell centres have four decimals; rounding removes float noise such as -7.966499999999.
_DECIMALS = 4


@dataclass(frozen=True)
class PublicPlace:
    latitude: float | None
    longitude: float | None
    address: str | None


def _cell_centre(degrees: float) -> float:
    return round((math.floor(degrees / GRID_DEGREES) + 0.5) * GRID_DEGREES, _DECIMALS)


def public_place(report: dict[str, Any]) -> PublicPlace:
    """Where a report is, as far as anyone outside its department may know; `report` holds
    its latitude, longitude, address, anonymous and confidential columns."""
    if report["confidential"]:
        return PublicPlace(latitude=None, longitude=None, address=None)
    latitude, longitude = report["latitude"], report["longitude"]
    if latitude is not None and longitude is not None and report["anonymous"]:
        latitude, longitude = _cell_centre(latitude), _cell_centre(longitude)
    return PublicPlace(
        latitude=latitude,
        longitude=longitude,
        address=None if report["anonymous"] else report["address"],
    )


def photos_published(report: dict[str, Any]) -> bool:
    """Whether anyone outside the department may see the report's photos; `report` holds its
    anonymous and confidential columns."""
    return not (report["anonymous"] or report["confidential"])


def reporter_for_staff(
    contact: ReporterContact, *, anonymous: bool, confidential: bool
) -> ReporterContact | None:
    """The reporter's name and contact as the department's staff may see them."""
    if anonymous or confidential or not (contact.name or contact.email or contact.phone):
        return None
    return contact
