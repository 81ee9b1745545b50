"""How hard citizens push back on a policy: the objections over a sliding window, the distinct
citizens behind them, and the words they keep using.

The window is the policy's `review_window_days` back from now, but never further back than
the policy's last published decision: a decision answers the objections before it, so only
new ones can put the policy up for review again.

Who counts as a distinct objector: only an identity the platform has verified, because anyone
can type any number of email addresses or phone numbers into a form: a Telegram account, or an
email address whose owner followed its confirmation link (core/citizens/mail.py);
core.citizens.contacts.verified_identity() is the one place that decides (and so counts the
citizens of a merged case). Every other objection — a web form, an API or Open311 call, with
or without contact details — still counts, and is shown, as an objection, but not as an
objector: one person could send any number of them. Blocked citizens and rejected reports
(spam, duplicates) do not count at all.

The recurring words ("themes") are published on /kebijakan and the review pages, so they come
only from public objections (neither anonymous nor confidential), and never carry a number
or a word of any objector's name (names of the reports concerned, whatever their privacy), nor
the words people use to introduce themselves (THEME_STOPWORDS).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from core import clock
from core.citizens.contacts import IDENTITY_COLUMNS, verified_identity
from core.policies.matching import OPEN_TO_OBJECTIONS, words
from core.policies.models import Pressure
from db.tables import Policy, PolicyReview, Report

# At most this many recurring words per policy, each used by at least this many senders.
THEMES = 6
MIN_THEME_OBJECTORS = 2
# Words people use to say who and where they are; a theme is about the policy.
_THEME_STOPWORDS_TEXT = """
    identitas nama alamat rumah tinggal nomor telepon telp email surel nik ktp gang blok
"""
THEME_STOPWORDS = frozenset(_THEME_STOPWORDS_TEXT.split())
_WORD = re.compile(r"[a-z0-9]+")


# The columns verified_identity() and the themes read, joined from the report's citizen.
_CITIZEN_COLUMNS = (
    *IDENTITY_COLUMNS,
    Report.citizen.name.as_alias("reporter_name"),
    Report.citizen.blocked.as_alias("blocked"),
)


async def last_decisions(policy_ids: Iterable[int] | None = None) -> dict[int, datetime]:
    """When each policy's latest decision was published."""
    query = PolicyReview.select(PolicyReview.policy, PolicyReview.decided_at).where(
        PolicyReview.decided_at.is_not_null()
    )
    if policy_ids is not None:
        query = query.where(PolicyReview.policy.is_in(list(policy_ids)))
    latest: dict[int, datetime] = {}
    for row in await query:
        if row["policy"] not in latest or row["decided_at"] > latest[row["policy"]]:
            latest[row["policy"]] = row["decided_at"]
    return latest


def _themes(title: str, objections: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, int], ...]:
    """The words most senders of public objections used, beyond the policy's own title; each
    sender counts once per word, however often they wrote it."""
    left_out = words(title)
    for row in objections:
        left_out |= name_words(row["reporter_name"])
    said: dict[str, set[str]] = defaultdict(set)
    for row in objections:
        if row["anonymous"] or row["confidential"]:
            continue
        # The citizen row is one per contact (core/citizens/contacts.py): good enough to keep one
        # sender from making a word recur, though not to count objectors.
        sender = f"c{row['citizen']}" if row["citizen"] is not None else f"r{row['id']}"
        for word in theme_words(row["text"]) - left_out:
            said[word].add(sender)
    counts = Counter({word: len(senders) for word, senders in said.items()})
    return tuple(
        [
            (word, count)
            for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            if count >= MIN_THEME_OBJECTORS
        ][:THEMES]
    )


def theme_words(text: str) -> set[str]:
    """The words of a public objection that may become a theme: no number, no word people
    use to say who or where they are."""
    return {
        word
        for word in words(text) - THEME_STOPWORDS
        if not any(character.isdigit() for character in word)
    }


def name_words(name: str | None) -> set[str]:
    """The words of a reporter's name, none of which may become a theme."""
    return set(_WORD.findall(name.lower())) if name else set()


async def pressures(
    *,
    policy_ids: Sequence[int] | None = None,
    statuses: Sequence[str] = OPEN_TO_OBJECTIONS,
    department_id: int | None = None,
) -> list[Pressure]:
    """The pressure on each policy in `statuses` (revoked ones can no longer be objected to),
    optionally only `policy_ids` or one department's; in policy code order."""
    query = Policy.select(
        Policy.id,
        Policy.code,
        Policy.title,
        Policy.status,
        Policy.department,
        Policy.department.code.as_alias("department_code"),
        Policy.department.name.as_alias("department_name"),
        Policy.review_threshold,
        Policy.review_window_days,
    ).where(Policy.status.is_in(list(statuses)))
    if policy_ids is not None:
        query = query.where(Policy.id.is_in(list(policy_ids)))
    if department_id is not None:
        query = query.where(Policy.department == department_id)
    policies = await query.order_by(Policy.code)
    if not policies:
        return []
    now = clock.now()
    decided = await last_decisions(row["id"] for row in policies)
    since = {
        row["id"]: max(
            now - timedelta(days=row["review_window_days"]),
            decided.get(row["id"], datetime.min.replace(tzinfo=now.tzinfo)),
        )
        for row in policies
    }
    rows = await Report.select(
        Report.id,
        Report.policy,
        Report.text,
        Report.created_at,
        Report.anonymous,
        Report.confidential,
        *_CITIZEN_COLUMNS,
    ).where(
        Report.policy.is_in(list(since))
        & (Report.stance == "objection")
        & (Report.status != "rejected")
        & (Report.created_at >= min(since.values()))
    )
    by_policy: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["created_at"] >= since[row["policy"]] and not row["blocked"]:
            by_policy[row["policy"]].append({**row, "key": verified_identity(row)})
    return [
        Pressure(
            policy_id=policy["id"],
            code=policy["code"],
            title=policy["title"],
            status=policy["status"],
            department_id=policy["department"],
            department_code=policy["department_code"],
            department_name=policy["department_name"],
            threshold=policy["review_threshold"],
            window_days=policy["review_window_days"],
            since=since[policy["id"]],
            objections=len(by_policy[policy["id"]]),
            objectors=len({row["key"] for row in by_policy[policy["id"]] if row["key"]}),
            themes=_themes(policy["title"], by_policy[policy["id"]]),
        )
        for policy in policies
    ]


def most_pressed(found: Sequence[Pressure], *, limit: int) -> list[Pressure]:
    """The policies closest to (or past) their threshold, those with any objection only."""
    pressed = [pressure for pressure in found if pressure.objections]
    pressed.sort(key=lambda p: (-p.share, -p.objections, p.code))
    return pressed[:limit]
