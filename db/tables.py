"""Piccolo tables. Personal data of citizens lives in `Citizen` only.

All timestamps are stored in UTC; the working-day calendar converts to the city's time zone.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Bytea,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Real,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class Department(Table):
    code = Varchar(length=32, unique=True)
    name = Varchar(length=200)
    short_name = Varchar(length=60)
    scope = Text()
    # Smart-city dimensions: governance, branding, economy, living, society, environment.
    dimensions = JSON(default=[])
    # Service-level overrides in working days; null means the city-wide default.
    first_response_days = Integer(null=True, default=None)
    resolution_days = Integer(null=True, default=None)
    active = Boolean(default=True)


class User(Table, tablename="app_user"):
    """Staff accounts: officer, head, verifier, leadership, admin."""

    username = Varchar(length=64, unique=True)
    full_name = Varchar(length=200)
    password_hash = Varchar(length=255)
    role = Varchar(length=16)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    telegram_chat_id = BigInt(null=True, default=None)
    active = Boolean(default=True)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class Citizen(Table):
    """A reporter and the only place their personal data is kept."""

    channel = Varchar(length=16)  # telegram | web | api | open311
    telegram_chat_id = BigInt(null=True, default=None, unique=True)
    name = Varchar(length=200, null=True, default=None)
    phone = Varchar(length=32, null=True, default=None)
    email = Varchar(length=254, null=True, default=None)
    language = Varchar(length=2, default="id")
    blocked = Boolean(default=False)
    created_at = Timestamptz()


class Policy(Table):
    code = Varchar(length=40, unique=True)
    title = Varchar(length=300)
    summary = Text()
    department = ForeignKey(references=Department, on_delete=OnDelete.restrict)
    status = Varchar(length=16, default="active")  # active | under_review | revised | revoked
    legal_url = Varchar(length=500, null=True, default=None)
    effective_from = Date(null=True, default=None)
    review_threshold = Integer(default=25)
    created_at = Timestamptz()


class Report(Table):
    tracking_code = Varchar(length=12, unique=True)
    text = Text()
    status = Varchar(length=16, index=True)
    channel = Varchar(length=16)
    citizen = ForeignKey(references=Citizen, null=True, on_delete=OnDelete.restrict)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    policy = ForeignKey(references=Policy, null=True, on_delete=OnDelete.restrict)
    stance = Varchar(length=12, null=True, default=None)  # objection | suggestion | support
    anonymous = Boolean(default=False)
    confidential = Boolean(default=False)
    urgent = Boolean(default=False)
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    address = Varchar(length=300, null=True, default=None)
    confidence = Real(null=True, default=None)
    needs_field_work = Boolean(default=False)
    created_at = Timestamptz(index=True)
    updated_at = Timestamptz()
    # The deadline the report is currently held to (triage, first response or resolution).
    due_at = Timestamptz(null=True, default=None, index=True)
    first_response_at = Timestamptz(null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    escalation_level = Integer(default=0)
    reopen_count = Integer(default=0)
    reroute_count = Integer(default=0)
    rating = Integer(null=True, default=None)


class ReportEvent(Table):
    """The append-only timeline of a report: written once, never updated or deleted."""

    report = ForeignKey(references=Report, on_delete=OnDelete.restrict, index=True)
    kind = Varchar(length=24)
    from_status = Varchar(length=16, null=True, default=None)
    to_status = Varchar(length=16, null=True, default=None)
    actor_kind = Varchar(length=12)  # citizen | officer | system
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    # Shown to the citizen and the public (answers, reasons); internal notes go to `detail`.
    public_note = Text(null=True, default=None)
    detail = JSON(default={})
    created_at = Timestamptz()


class OutboxMessage(Table):
    """A message to a citizen, a department or a channel, written with the change that caused it."""

    dedupe_key = Varchar(length=120, unique=True)
    channel = Varchar(length=16)  # telegram | department
    template = Varchar(length=40)
    report = ForeignKey(references=Report, null=True, on_delete=OnDelete.restrict)
    citizen = ForeignKey(references=Citizen, null=True, on_delete=OnDelete.restrict)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    payload = JSON(default={})
    status = Varchar(length=12, default="pending", index=True)  # pending | sending | sent | failed
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(index=True)
    last_error = Text(null=True, default=None)
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)


class TrainingExample(Table):
    """A correction by a verifier or officer; the classifier retrains on these."""

    text = Text()
    department_code = Varchar(length=32)
    source = Varchar(length=16)  # route (a verifier's triage decision) | reroute
    report = ForeignKey(references=Report, null=True, on_delete=OnDelete.restrict)
    created_at = Timestamptz()


class ModelVersion(Table):
    version = Varchar(length=40, unique=True)
    blob = Bytea()
    threshold = Real()
    metrics = JSON(default={})
    n_examples = Integer()
    current = Boolean(default=False)
    created_at = Timestamptz()


class Holiday(Table):
    day = Date(unique=True)
    name = Varchar(length=200)
    kind = Varchar(length=16)  # national | cuti_bersama


TABLES: tuple[type[Table], ...] = (
    Department,
    User,
    Citizen,
    Policy,
    Report,
    ReportEvent,
    OutboxMessage,
    TrainingExample,
    ModelVersion,
    Holiday,
)
