"""The Jinja2 set-up every page uses: texts in the visitor's language, times in the city's
time zone, and time left to a deadline in words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from api.texts import text
from config import settings
from core import clock
from core.policies.reviews import RATIONALE_LIMITS
from core.reports.intake import MAX_TEXT
from core.reports.lifecycle import NOTE_MAX, NOTE_MIN
from core.reports.reply_templates import MAX_BODY, MAX_TITLE
from core.service_levels.deadlines import is_overdue
from core.staff.users import MIN_PASSWORD

TEMPLATES = Path(__file__).parent.parent / "templates"
# The bounds core/ enforces, for the forms' minlength and maxlength: a constant changed in
# core/ changes the form with it.
LIMITS = {
    "note_min": NOTE_MIN,
    "note_max": NOTE_MAX,
    "text_max": MAX_TEXT,
    "rationale_min": RATIONALE_LIMITS[0],
    "rationale_max": RATIONALE_LIMITS[1],
    "password_min": MIN_PASSWORD,
    "template_title_max": MAX_TITLE,
    "template_body_max": MAX_BODY,
}


def _t(context: Mapping[str, Any], key: str, **values: Any) -> str:
    return text(key, context.get("lang", "id"), **values)


def _amount(seconds: float, lang: str) -> str:
    minutes = int(seconds // 60)
    if minutes >= 24 * 60:
        return text("unit.days", lang, n=minutes // (24 * 60))
    if minutes >= 60:
        return text("unit.hours", lang, n=minutes // 60)
    return text("unit.minutes", lang, n=max(minutes, 1))


def _left(context: Mapping[str, Any], due_at: datetime | None) -> str:
    """'2 hari lagi' / 'terlambat 5 jam'."""
    if due_at is None:
        return "—"
    lang = context.get("lang", "id")
    now = context.get("now", clock.now())
    seconds = (due_at - now).total_seconds()
    if is_overdue(due_at, now):
        return text("left.overdue", lang, amount=_amount(-seconds, lang))
    return text("left.remaining", lang, amount=_amount(seconds, lang))


def _page_url(context: Mapping[str, Any], page: int) -> str:
    """This page's address with the same query but another page number."""
    request = context["request"]
    params = [(key, value) for key, value in request.query_params.multi_items() if key != "page"]
    return request.url.path + "?" + urlencode([*params, ("page", str(page))])


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(settings.current().tz).strftime("%Y-%m-%d %H:%M")


def _setup(engine: JinjaTemplateEngine) -> None:
    engine.register_template_callable("t", _t)
    engine.register_template_callable("left", _left)
    engine.register_template_callable("page_url", _page_url)
    engine.engine.filters["when"] = _when
    engine.engine.globals["limits"] = LIMITS


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_setup)
