"""Piccolo tables. Personal data of citizens lives in `Citizen` only.

All timestamps are stored in UTC; the working-day calendar converts to the city's time zone.
Indexes that Piccolo cannot declare (over several columns, partial, unique beside the table,
trigram) are created by the migration "indexes the code depends on" and named in a comment
at the table that relies on them. `id: Serial` names the primary key Piccolo adds to every
table, so the type checker knows it.
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
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class Department(Table):
    id: Serial
    code = Varchar(length=32, unique=True)
    name = Varchar(length=200)
    short_name = Varchar(length=60)
    scope = Text()
    # Smart-city dimensions: governance, branding, economy, living, society, environment.
    dimensions = JSON(default=[])
    # Service-level overrides in working days; null means the city-wide default.
    first_response_days = Integer(null=True, default=None)
    resolution_days = Integer(null=True, default=None)
    # Minutes an urgent report may wait for its first staff action before leadership and the
    # admins are alerted (core/reports/emergency.py).
    urgent_ack_minutes = Integer(default=30)
    active = Boolean(default=True)


class User(Table, tablename="app_user"):
    """Staff accounts: officer, head, verifier, leadership, admin."""

    id: Serial

    username = Varchar(length=64, unique=True)
    full_name = Varchar(length=200)
    password_hash = Varchar(length=255)
    role = Varchar(length=16)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    telegram_chat_id = BigInt(null=True, default=None)
    # Where the staff notices go while no Telegram chat is linked (core/staff/notices.py);
    # stored trimmed and lower-cased, and unique in that form (index app_user_email_key), so
    # one address is one account whatever its case. Shown to admins and the staff member only.
    email = Varchar(length=254, null=True, default=None)
    # A one-time code (its SHA-256) the staff member sends to the bot to link their chat
    # (core/staff/telegram_link.py), and until when it works.
    telegram_link_code = Varchar(length=64, null=True, default=None)
    telegram_link_expires_at = Timestamptz(null=True, default=None)
    active = Boolean(default=True)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    # Bumped whenever what a session may do changes (password, active, role, department):
    # sessions signed in under an older version are refused (api/auth.py).
    session_version = Integer(default=0)
    created_at = Timestamptz()


class Citizen(Table):
    """A reporter and the only place their personal data is kept.

    Indexes: citizen_email_key and citizen_phone_key, unique: one citizen per email address
    and per phone number, in normal form (core/citizens/contacts.py)."""

    id: Serial

    channel = Varchar(length=16)  # telegram | web | api | open311
    telegram_chat_id = BigInt(null=True, default=None, unique=True)
    name = Varchar(length=200, null=True, default=None)
    phone = Varchar(length=32, null=True, default=None)
    email = Varchar(length=254, null=True, default=None)
    # When the citizen followed the confirmation link of their first mail: from then on the
    # address hears each update and is a verified identity (core/citizens/mail.py).
    email_confirmed_at = Timestamptz(null=True, default=None)
    # When they followed an unsubscribe link: no more mail, whatever happens.
    email_unsubscribed_at = Timestamptz(null=True, default=None)
    language = Varchar(length=2, default="id")
    blocked = Boolean(default=False)
    created_at = Timestamptz()


class Policy(Table):
    id: Serial
    code = Varchar(length=40, unique=True)
    title = Varchar(length=300)
    summary = Text()
    department = ForeignKey(references=Department, on_delete=OnDelete.restrict)
    status = Varchar(length=16, default="active")  # active | under_review | revised | revoked
    legal_url = Varchar(length=500, null=True, default=None)
    effective_from = Date(null=True, default=None)
    review_threshold = Integer(default=25)
    # Distinct objectors over this many days that open a review (core/policies/pressure.py).
    review_window_days = Integer(default=30)
    created_at = Timestamptz()


class ReportLadder(Table):
    """Where a report stands on the escalation ladder of its current deadline
    (core/service_levels/escalation.py).

    Kept out of the wide, heavily indexed `report` row so that the sweep, which moves
    thousands of reports a step each minute, rewrites narrow rows with two indexes instead.
    `level` 0 none yet, 1 reminded at half time, 2 overdue, 3 escalated to leadership;
    `next_escalation_at` is when the next step is due (null when the clock is stopped);
    `escalate_at` is twice the deadline, which is the report's own `due_at`.
    """

    id: Serial

    level = Integer(default=0)
    next_escalation_at = Timestamptz(null=True, default=None, index=True)
    escalate_at = Timestamptz(null=True, default=None)


class Report(Table):
    """Indexes: report_queue (department, status, due_at), a department's queue in deadline
    order; report_resolved_at, the public list of resolved reports; report_updated_at, what
    the metrics refresh reads; report_policy_time (policy, created_at) where policy is set,
    policy pressure; report_ladder_key, unique, one ladder row per report; report_rerouted
    (updated_at, department, id) where reroute_count > 0, the reports a department handled
    before a re-route; report_open_by_age (department, created_at) where open or in progress,
    the newest open reports a new one is compared with (core/reports/duplicates.py);
    report_citizen_time (citizen, created_at), a citizen's reports counted against the limits; on
    PostgreSQL report_text_trgm and report_address_trgm (pg_trgm GIN),
    searching a queue by words."""

    id: Serial

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
    # The kecamatan of Kota Malang the report is in, set at intake from its point, or from its
    # address (or text) when it has none (core/place); null when none tells.
    kecamatan = Varchar(length=20, null=True, default=None)
    confidence = Real(null=True, default=None)
    needs_field_work = Boolean(default=False)
    created_at = Timestamptz(index=True)
    updated_at = Timestamptz()
    # The deadline the report is currently held to (triage, first response or resolution).
    due_at = Timestamptz(null=True, default=None, index=True)
    first_response_at = Timestamptz(null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    # For reports sent without Telegram (web, JSON API): the SHA-256 of the key the sender got
    # once, which lets them confirm, rate or reopen the report (core/reports/follow_up.py).
    follow_up_key = Varchar(length=64, null=True, default=None)
    # One ladder row per report (the unique index report_ladder_key).
    ladder = ForeignKey(references=ReportLadder, null=True, on_delete=OnDelete.restrict)
    reopen_count = Integer(default=0)
    reroute_count = Integer(default=0)
    rating = Integer(null=True, default=None)
    # The department's officer (or head) working on it (core/reports/assignment.py).
    assignee = ForeignKey(
        references=User, null=True, default=None, on_delete=OnDelete.restrict, index=True
    )
    # The outside authority the classifier thinks the report belongs to (a code of
    # core/routing/referrals.py), for the verifier who refers it; set only on reports it
    # sent to triage.
    suggested_referral = Varchar(length=16, null=True, default=None)
    # The outside authority a staff member referred it to (a code of
    # core/routing/referrals.py, core/reports/lifecycle.py refer_to_authority); None when the
    # referral was written as free text or the report was not referred.
    referred_to = Varchar(length=16, null=True, default=None)

    # The case (another report of the department) this one was merged into, while its status
    # is `merged`: its citizen follows that case (core/reports/merging.py).
    merged_into: ForeignKey[Report] = ForeignKey(
        references="self", null=True, default=None, on_delete=OnDelete.restrict, index=True
    )


class UrgentWatch(Table):
    """An urgent report waiting for its first staff action (core/reports/emergency.py).

    `ack_due` is when leadership and the admins are alerted if nobody has acted (routed it out
    of triage, acknowledged it); null once somebody did. `alerted_due` is the `ack_due` whose
    alert was written: the job claims a step by setting it with a compare-and-set UPDATE, so
    each step is alerted once however many schedulers run."""

    id: Serial

    report = ForeignKey(references=Report, unique=True, on_delete=OnDelete.cascade)
    ack_due = Timestamptz(null=True, default=None, index=True)
    alerted_due = Timestamptz(null=True, default=None)


class ReportEvent(Table):
    """The append-only timeline of a report: written once, never updated or deleted.

    Indexes: report_event_actor where actor is set (a person's events, never the system's
    ladder steps); report_event_kind_time (kind, created_at, department), escalation steps
    of a period; report_event_arrival (department, report) for the events by which a report
    arrived at a department (submitted, routed, rerouted)."""

    id: Serial

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

    id: Serial

    dedupe_key = Varchar(length=120, unique=True)
    channel = Varchar(length=16)  # citizen (Telegram) | email | a staff channel | webhook
    template = Varchar(length=40)
    report = ForeignKey(references=Report, null=True, on_delete=OnDelete.restrict)
    citizen = ForeignKey(references=Citizen, null=True, on_delete=OnDelete.restrict)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    payload = JSON(default={})
    # pending | sending (waiting: found through the partial index outbox_message_to_deliver on
    # `next_attempt_at`) | sent | failed | skipped (finished: counted in OutboxTally).
    status = Varchar(length=12, default="pending")
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz()
    last_error = Text(null=True, default=None)
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)


class OutboxTally(Table):
    """Finished outbox messages (sent, failed, skipped) by channel and status, counted as each
    finishes (core.messaging.outbox): they pile up by the million, so /metrics reads these few
    rows instead of counting them. Index: outbox_tally_key, unique (channel, status)."""

    id: Serial

    channel = Varchar(length=16)
    status = Varchar(length=12)
    messages = BigInt(default=0)


class TrainingExample(Table):
    """A correction by a verifier or officer; the classifier retrains on these."""

    id: Serial

    text = Text()
    department_code = Varchar(length=32)
    source = Varchar(length=16)  # route (a verifier's triage decision) | reroute
    report = ForeignKey(references=Report, null=True, on_delete=OnDelete.restrict)
    created_at = Timestamptz()


class ModelVersion(Table):
    id: Serial
    version = Varchar(length=40, unique=True)
    blob = Bytea()
    threshold = Real()
    metrics = JSON(default={})
    n_examples = Integer()
    current = Boolean(default=False)
    created_at = Timestamptz()


class Holiday(Table):
    id: Serial
    day = Date(unique=True)
    name = Varchar(length=200)
    kind = Varchar(length=16)  # national | cuti_bersama


class WarningLetter(Table):
    """A surat teguran recorded against a department for a report left unanswered."""

    id: Serial

    number = Varchar(length=80, unique=True)
    department = ForeignKey(references=Department, on_delete=OnDelete.restrict, index=True)
    report = ForeignKey(references=Report, on_delete=OnDelete.restrict)
    deadline = Timestamptz()
    text = Text()
    issued_at = Timestamptz(index=True)


class ReplyTemplate(Table):
    """A reply an officer can start from, kept per department by its head."""

    id: Serial

    department = ForeignKey(references=Department, on_delete=OnDelete.restrict, index=True)
    title = Varchar(length=120)
    body = Text()
    created_at = Timestamptz()


class ReportAttachment(Table):
    """A photo sent with a report. From Telegram: Telegram keeps the file, we keep its file id,
    which is enough to show it to officers through the bot's token. From the web form: the
    re-encoded image itself (no EXIF), in the database so every replica can serve it."""

    id: Serial

    report = ForeignKey(references=Report, on_delete=OnDelete.restrict, index=True)
    kind = Varchar(length=16)  # telegram_photo, web_photo
    file_id = Varchar(length=255)  # "" for a web photo
    content_type = Varchar(length=32, null=True, default=None)  # a web photo's
    data = Bytea(null=True, default=None)  # a web photo's bytes, EXIF removed
    created_at = Timestamptz()


class BotConversation(Table):
    """Where a citizen is in a conversation with the bot, so any replica can take the next
    message and a restart loses nothing. `version` makes each step a compare-and-set."""

    id: Serial

    citizen = ForeignKey(references=Citizen, on_delete=OnDelete.cascade, unique=True)
    state = Varchar(length=24, default="idle")
    data = JSON(default={})
    version = Integer(default=0)
    updated_at = Timestamptz()


class TelegramReceipt(Table):
    """One row per Telegram message sent for an outbox message and recipient, so a retried
    delivery never sends the same message to the same person twice. The key names the
    recipient by citizen or user id, never by Telegram id."""

    id: Serial

    key = Varchar(length=80, unique=True)  # "<outbox id>:c<citizen id>" or ":u<user id>"
    outbox = ForeignKey(references=OutboxMessage, on_delete=OnDelete.cascade, index=True)
    telegram_message_id = BigInt(null=True, default=None)
    sent_at = Timestamptz()


class MailReceipt(Table):
    """One row per outbox message sent by mail, so a retried delivery never mails twice."""

    id: Serial

    outbox = ForeignKey(references=OutboxMessage, unique=True, on_delete=OnDelete.cascade)
    message_id = Varchar(length=250)
    sent_at = Timestamptz()


class MailToken(Table):
    """A link in a mail that acts without signing in (confirm the address, unsubscribe):
    only the SHA-256 of its token is kept. A confirmation expires and works once."""

    id: Serial

    token_hash = Varchar(length=64, unique=True)
    citizen = ForeignKey(references=Citizen, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=12)  # confirm | unsubscribe
    expires_at = Timestamptz(null=True, default=None)
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class ReportLink(Table):
    """A one-time link about one report that acts without signing in: following it in
    Telegram (`follow`, the start code of a t.me link) or answering its resolution from a mail
    (`answer`: rate it or say it is not done). Only the SHA-256 of its token is kept; it
    expires and works once (core/reports/one_time_links.py)."""

    id: Serial

    token_hash = Varchar(length=64, unique=True)
    report = ForeignKey(references=Report, on_delete=OnDelete.cascade, index=True)
    citizen = ForeignKey(references=Citizen, null=True, on_delete=OnDelete.cascade)
    purpose = Varchar(length=12)  # follow | answer
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class ReportMetric(Table):
    """What the dashboards need to know of one report, derived from it and its timeline by
    core.figures.rollup; one row per report, rewritten whenever the report changes.
    Definitions: docs/metrics.md.

    Indexes: report_metric_first_response_pending, report_metric_resolution_pending and
    report_metric_overdue_pending, partial, the few rows whose pending deadline the refresh
    must look at again."""

    id: Serial

    report = ForeignKey(references=Report, unique=True, on_delete=OnDelete.restrict)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    received_on = Date(index=True)  # the city's calendar date of submission
    urgent = Boolean(default=False)
    ended = Boolean(default=False)  # rejected or referred: no service level applies
    open_now = Boolean(default=False)  # with a department, neither resolved nor ended
    was_resolved = Boolean(default=False)  # resolved now, or resolved once and reopened
    reopened = Boolean(default=False)
    rerouted = Boolean(default=False)
    rating = Integer(null=True, default=None)
    assigned_at = Timestamptz(null=True, default=None)  # the department's clock started
    first_response_due = Timestamptz(null=True, default=None)
    first_response_days = Real(null=True, default=None)  # working days
    # True on time, False late or overdue unanswered, None not yet decided.
    first_response_met = Boolean(null=True, default=None)
    resolution_due = Timestamptz(null=True, default=None)
    resolution_days = Real(null=True, default=None)  # working days
    resolution_met = Boolean(null=True, default=None)
    # For an open report: its current deadline (Report.due_at), and whether it has passed.
    current_due = Timestamptz(null=True, default=None)
    overdue = Boolean(default=False)
    # Merged into another report's case: the case is counted, this one not again.
    merged = Boolean(default=False)
    # The report's status, channel and routing confidence, for the tally (ReportTally).
    status = Varchar(length=16, null=True, default=None)
    channel = Varchar(length=16, null=True, default=None)
    confidence = Real(null=True, default=None)
    source_updated_at = Timestamptz()  # Report.updated_at when this row was derived


class ReportTally(Table):
    """Every report counted once by department (null: triage), status, channel and
    confidence bin (core.figures.metrics.CONFIDENCE_BUCKETS; null: never classified), with
    how many of them are overdue now, kept by core.figures.rollup with the other rollups:
    /metrics reads these few thousand rows instead of counting the report table."""

    id: Serial

    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    status = Varchar(length=16)
    channel = Varchar(length=16)
    confidence_bucket = Integer(null=True, default=None)
    reports = Integer(default=0)
    confidence_sum = DoublePrecision(default=0.0)
    overdue = Integer(default=0)  # open reports past their deadline (ReportMetric.overdue)


class DepartmentDay(Table):
    """Daily rollup of ReportMetric per department (null: not yet routed), by day received."""

    id: Serial

    day = Date(index=True)
    week = Date()  # the Monday of `day`'s week
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    received = Integer(default=0)
    routed = Integer(default=0)
    ended = Integer(default=0)
    open_now = Integer(default=0)
    overdue = Integer(default=0)
    first_response_met = Integer(default=0)
    first_response_missed = Integer(default=0)
    resolution_met = Integer(default=0)
    resolution_missed = Integer(default=0)
    was_resolved = Integer(default=0)
    reopened = Integer(default=0)
    rerouted = Integer(default=0)
    rating_sum = Integer(default=0)
    rating_count = Integer(default=0)
    # Counts per duration bin (core.figures.metrics.BIN_EDGES), for medians and 90th percentiles.
    first_response_bins = JSON(default=[])
    resolution_bins = JSON(default=[])


class DepartmentWeek(Table):
    """The same sums as DepartmentDay per week (Monday to Sunday), so a long period reads a
    row per week and department, and day rows only at its edges."""

    id: Serial

    week = Date(index=True)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.restrict)
    received = Integer(default=0)
    routed = Integer(default=0)
    ended = Integer(default=0)
    open_now = Integer(default=0)
    overdue = Integer(default=0)
    first_response_met = Integer(default=0)
    first_response_missed = Integer(default=0)
    resolution_met = Integer(default=0)
    resolution_missed = Integer(default=0)
    was_resolved = Integer(default=0)
    reopened = Integer(default=0)
    rerouted = Integer(default=0)
    rating_sum = Integer(default=0)
    rating_count = Integer(default=0)
    first_response_bins = JSON(default=[])
    resolution_bins = JSON(default=[])


class MetricsRefresh(Table):
    """One row: how far core.figures.rollup.refresh() has read the reports."""

    id: Serial

    last_report_id = BigInt(default=0)
    changed_until = Timestamptz(null=True, default=None)
    refreshed_at = Timestamptz(null=True, default=None)


class ApiKey(Table):
    """A key an admin issued to another system for Open311 submissions. Only a hash of the
    key is kept; the key itself is shown once, when it is issued."""

    id: Serial

    name = Varchar(length=100)
    prefix = Varchar(length=16)  # the key's first characters, to tell keys apart in lists
    key_hash = Varchar(length=64, unique=True)  # SHA-256 hex of the whole key
    active = Boolean(default=True)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class Open311Request(Table):
    """A report that came in through Open311: the token the client got, the key that sent it,
    the service it asked for and the media URL it gave."""

    id: Serial

    report = ForeignKey(references=Report, unique=True, on_delete=OnDelete.restrict)
    token = Varchar(length=40, unique=True)
    api_key = ForeignKey(references=ApiKey, on_delete=OnDelete.restrict)
    service_code = Varchar(length=40)
    media_url = Varchar(length=500, null=True, default=None)
    created_at = Timestamptz()


class DepartmentWebhook(Table):
    """A department's own system (or chat bridge) that receives every event on its reports."""

    id: Serial

    department = ForeignKey(references=Department, on_delete=OnDelete.restrict, index=True)
    url = Varchar(length=500)
    # Kept as given, not hashed: signing each delivery needs the secret itself.
    secret = Varchar(length=128)
    active = Boolean(default=True)
    created_at = Timestamptz()


class WebhookAttempt(Table):
    """One POST of an outbox message to a webhook, with its outcome: the delivery log."""

    id: Serial

    webhook = ForeignKey(references=DepartmentWebhook, on_delete=OnDelete.restrict, index=True)
    outbox = ForeignKey(references=OutboxMessage, on_delete=OnDelete.cascade, index=True)
    attempt = Integer()
    status_code = Integer(null=True, default=None)  # null: no HTTP answer (refused, timed out)
    error = Text(null=True, default=None)
    duration_ms = Integer()
    created_at = Timestamptz()


class InboundReceipt(Table):
    """A signed request from a department's system, kept so that a replay changes nothing."""

    id: Serial

    key = Varchar(length=160, unique=True)  # "<department id>:<the sender's request id>"
    department = ForeignKey(references=Department, on_delete=OnDelete.restrict)
    report = ForeignKey(references=Report, on_delete=OnDelete.restrict)
    action = Varchar(length=24)
    received_at = Timestamptz()


class PolicyReview(Table):
    """A policy put up for review because enough distinct citizens objected to it, and the
    decision its department's head published (core/policies/reviews.py). The deadline runs
    on the working-day calendar with the same ladder as reports: `escalation_level` 0 none
    yet, 1 reminded at half time, 2 overdue, 3 escalated to leadership."""

    id: Serial

    policy = ForeignKey(references=Policy, on_delete=OnDelete.restrict, index=True)
    department = ForeignKey(references=Department, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=12, default="open", index=True)  # open | decided
    opened_at = Timestamptz()
    # The pressure that opened it: distinct objectors and objections in the window, the
    # threshold and window in force then, and the recurring words of the objections.
    objectors = Integer()
    objections = Integer()
    threshold = Integer()
    window_days = Integer()
    themes = JSON(default=[])
    due_at = Timestamptz()
    escalation_level = Integer(default=0)
    next_escalation_at = Timestamptz(null=True, default=None, index=True)
    escalate_at = Timestamptz(null=True, default=None)
    decision = Varchar(length=8, null=True, default=None)  # keep | revise | revoke
    rationale = Text(null=True, default=None)  # public
    changes = Text(null=True, default=None)  # public: what a revision changes
    changes_from = Date(null=True, default=None)  # and from when
    decided_at = Timestamptz(null=True, default=None, index=True)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    notified = Integer(default=0)  # citizens the decision was queued for


class CatalogueChange(Table):
    """One row per change an admin made to read-mostly data (departments, webhooks, holidays).
    Every process caches that data and compares the newest id with the one it loaded it at
    (core/catalogue/cached.py), so a change made on one replica reaches the others too."""

    id: Serial
    changed_at = Timestamptz()


TABLES: tuple[type[Table], ...] = (
    Department,
    User,
    Citizen,
    Policy,
    ReportLadder,
    Report,
    ReportEvent,
    UrgentWatch,
    OutboxMessage,
    OutboxTally,
    TrainingExample,
    ModelVersion,
    Holiday,
    WarningLetter,
    ReplyTemplate,
    ReportAttachment,
    BotConversation,
    TelegramReceipt,
    MailReceipt,
    MailToken,
    ReportLink,
    ReportMetric,
    DepartmentDay,
    DepartmentWeek,
    ReportTally,
    MetricsRefresh,
    ApiKey,
    Open311Request,
    DepartmentWebhook,
    WebhookAttempt,
    InboundReceipt,
    PolicyReview,
    CatalogueChange,
)
