"""Shapes of what the JSON API takes and gives. Unknown fields are refused."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from core.reports.intake import MAX_TEXT, MIN_TEXT
from core.reports.lifecycle import NOTE_MAX, RATINGS
from core.reports.models import DepartmentRef, Point, PolicyRef, PublicReport, TimelineEntry

# The public report's JSON is core's own record (core/reports/models.py), as are the
# references it is made of.
__all__ = ["DepartmentRef", "Point", "PolicyRef", "PublicReport", "TimelineEntry"]


class LocationIn(msgspec.Struct, forbid_unknown_fields=True):
    lat: Annotated[float, Meta(ge=-90, le=90, description="Latitude, WGS84")]
    lon: Annotated[float, Meta(ge=-180, le=180, description="Longitude, WGS84")]


class ReporterIn(msgspec.Struct, forbid_unknown_fields=True):
    """Optional contact details; kept private, never shown in public responses."""

    name: Annotated[str, Meta(max_length=200)] | None = None
    phone: Annotated[str, Meta(max_length=32)] | None = None
    email: Annotated[str, Meta(max_length=254)] | None = None


class ReportIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[
        str,
        Meta(
            description=f"The problem in the citizen's own words, {MIN_TEXT}–{MAX_TEXT} characters"
        ),
    ]
    anonymous: bool = False
    confidential: bool = False
    policy: Annotated[str, Meta(max_length=40, description="Code of a city policy")] | None = None
    stance: (
        Annotated[
            Literal["objection", "suggestion", "support"],
            Meta(
                description="The citizen's position on the policy; without one the report is "
                "linked to it but counts as no objection"
            ),
        ]
        | None
    ) = None
    location: LocationIn | None = None
    address: Annotated[str, Meta(max_length=300)] | None = None
    reporter: ReporterIn | None = None


class ReportCreated(msgspec.Struct):
    tracking_code: str
    status: str
    department: DepartmentRef | None
    due_at: datetime | None
    urgent: bool
    follow_up_key: Annotated[
        str,
        Meta(
            description="Given once: with the tracking code, it lets the sender confirm, rate "
            "or reopen the report. Only its hash is stored."
        ),
    ]
    emergency_contacts: Annotated[
        list[EmergencyContactOut],
        Meta(
            description="For an urgent report, the city's emergency lines, to call first (names "
            "in the Accept-Language); empty otherwise."
        ),
    ]
    alerted: Annotated[
        str | None,
        Meta(
            description="Who was alerted of an urgent report at once: department, verifiers or "
            "admins; null when nobody could be reached (or the report is not urgent)."
        ),
    ]

    possible_case: Annotated[
        str | None,
        Meta(
            description="An open case of the same department this report very likely repeats "
            "(its tracking code): the sender may join it on the web page."
        ),
    ] = None


class EmergencyContactOut(msgspec.Struct):
    name: str
    number: str


class ConfirmIn(msgspec.Struct, forbid_unknown_fields=True):
    key: Annotated[str, Meta(max_length=40, description="The report's follow-up key")]
    rating: Annotated[int, Meta(ge=RATINGS[0], le=RATINGS[-1])] | None = None


class ReopenIn(msgspec.Struct, forbid_unknown_fields=True):
    key: Annotated[str, Meta(max_length=40, description="The report's follow-up key")]
    reason: Annotated[str, Meta(max_length=NOTE_MAX, description="Why it is not fixed")]


class PolicyOut(msgspec.Struct):
    code: str
    title: str
    summary: str
    status: str
    department: DepartmentRef
    legal_url: str | None
    effective_from: date | None


class FieldError(msgspec.Struct):
    field: str | None
    message: str


class ErrorBody(msgspec.Struct):
    status_code: int
    detail: str
    errors: list[FieldError] = []


class Health(msgspec.Struct):
    status: str
    database: str
    # "ready": new reports are routed as they arrive; "training": the first model is being
    # trained (a fresh database), and new reports wait in triage until it is ready.
    routing: str
