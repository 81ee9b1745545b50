"""Every text a page can show exists in both languages."""

from __future__ import annotations

import re

from api.pages.templating import TEMPLATES
from api.texts import TEXTS
from core.reports.lifecycle import TRANSITIONS, Status
from core.reports.staff_actions import STAFF_ACTIONS
from core.staff.actors import Role

_LITERAL = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")
_TIMELINE_EVENTS = {"submitted", "reminder", "overdue", "escalated"} | {
    transition.event for transition in TRANSITIONS.values()
}


def test_every_key_the_templates_name_has_both_languages() -> None:
    used = {
        key
        for template in TEMPLATES.rglob("*.html")
        for key in _LITERAL.findall(template.read_text(encoding="utf-8"))
    }
    computed = (
        {f"status.{status}" for status in Status}
        | {f"role.{role}" for role in Role}
        | {f"event.{event}" for event in _TIMELINE_EVENTS}
        | {f"{prefix}.{action}" for action in STAFF_ACTIONS for prefix in ("action", "done")}
        | {f"note.{action}" for action in STAFF_ACTIONS if action != "route"}
        | {f"band.{band}" for band in ("overdue", "today", "soon", "later")}
        | {f"error.{code}" for code in (400, 403, 404, 405, 409, 429)}
    )
    missing = sorted((used | computed) - TEXTS.keys())
    assert not missing
    assert all(indonesian and english for indonesian, english in TEXTS.values())
