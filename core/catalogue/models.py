"""The typed records of the catalogue: a department as the public reads it and as an admin
edits it. A policy, read alike by the public and by admins, is core.policies.models.PolicyView.
"""

from __future__ import annotations

import msgspec


class PublicDepartment(msgspec.Struct, frozen=True, kw_only=True):
    """An active department as the public, the API and staff choosing a department read it:
    what it handles and its smart-city dimensions."""

    code: str
    name: str
    short_name: str
    scope: str
    dimensions: list[str]


class DepartmentRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A department as an admin edits it, inactive ones too: with its service-level overrides
    in working days (None: the city default)."""

    id: int
    code: str
    name: str
    short_name: str
    scope: str
    dimensions: list[str]
    first_response_days: int | None
    resolution_days: int | None
    # Minutes an urgent report may wait for it before leadership hears (core/reports/emergency).
    urgent_ack_minutes: int
    active: bool
