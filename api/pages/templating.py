"""The Jinja2 set-up every page uses: texts in the visitor's language (Jinja's i18n extension
over the i18n catalogue: `{{ _("Beranda") }}`, `{{ _("%(n)s hari", n=3) }}`), times in the city's
time zone, and time left to a deadline in words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import pass_context
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from api.pages.names import name
from config import settings
from core import clock
from core.figures.evaluation import MIN_ROUTED
from core.input_rules import MAX_EMAIL
from core.policies.reviews import RATIONALE_LIMITS
from core.reports.attachments import MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_TYPES
from core.reports.emergency import ACK_MINUTES_RANGE, TRIAGE_ACK_MINUTES
from core.reports.intake import MAX_TEXT, MIN_TEXT
from core.reports.lifecycle import NOTE_MAX, NOTE_MIN, RATINGS
from core.reports.one_time_links import LINK_VALID
from core.reports.queue import RECENT_ACTIVITY_DAYS
from core.reports.reply_templates import MAX_BODY, MAX_TITLE
from core.service_levels.deadlines import FIELD_WORK_DAYS, is_overdue
from core.staff.passwords import MIN_PASSWORD
from i18n import format_date, gettext, translations

TEMPLATES = Path(__file__).parent.parent / "templates"
# The bounds core/ enforces, for the forms' minlength and maxlength and the texts that state
# them: a constant changed in core/ changes the form and the text with it.
LIMITS = {
    "text_min": MIN_TEXT,
    "field_work_days": FIELD_WORK_DAYS,
    "min_routed": MIN_ROUTED,
    "note_min": NOTE_MIN,
    "note_max": NOTE_MAX,
    "text_max": MAX_TEXT,
    "rationale_min": RATIONALE_LIMITS[0],
    "rationale_max": RATIONALE_LIMITS[1],
    "password_min": MIN_PASSWORD,
    "email_max": MAX_EMAIL,
    "template_title_max": MAX_TITLE,
    "template_body_max": MAX_BODY,
    "recent_activity_days": RECENT_ACTIVITY_DAYS,
    "best_rating": RATINGS[-1],
    "ratings": list(RATINGS),
    "link_days": LINK_VALID.days,
    "max_photos": MAX_PHOTOS,
    "max_photo_bytes": MAX_PHOTO_BYTES,
    "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
    "photo_types": ",".join(PHOTO_TYPES.values()),
    "ack_minutes_min": ACK_MINUTES_RANGE[0],
    "ack_minutes_max": ACK_MINUTES_RANGE[1],
    "ack_minutes_default": TRIAGE_ACK_MINUTES,
}


def _language(context: Mapping[str, Any]) -> str:
    return str(context.get("lang", "id"))


# Jinja's newstyle i18n wraps these: it fills `%(name)s` and escapes the values.
@pass_context
def _gettext(context: Mapping[str, Any], msgid: str) -> str:
    return translations(_language(context)).gettext(msgid)


@pass_context
def _ngettext(context: Mapping[str, Any], singular: str, plural: str, n: int) -> str:
    return translations(_language(context)).ngettext(singular, plural, n)


@pass_context
def _pgettext(context: Mapping[str, Any], msgctxt: str, msgid: str) -> str:
    return str(translations(_language(context)).pgettext(msgctxt, msgid))


def _name_of(context: Mapping[str, Any], /, table: str, key: object, **values: Any) -> str:
    return name(_language(context), table, key, **values)


def _amount(seconds: float, lang: str) -> str:
    minutes = int(seconds // 60)
    if minutes >= 24 * 60:
        return gettext(lang, "%(n)s hari", n=minutes // (24 * 60))
    if minutes >= 60:
        return gettext(lang, "%(n)s jam", n=minutes // 60)
    return gettext(lang, "%(n)s menit", n=max(minutes, 1))


def _left(context: Mapping[str, Any], due_at: datetime | None) -> str:
    """'2 hari lagi' / 'terlambat 5 jam'."""
    if due_at is None:
        return "—"
    lang = _language(context)
    now = context.get("now", clock.now())
    seconds = (due_at - now).total_seconds()
    if is_overdue(due_at, now):
        return gettext(lang, "terlambat %(amount)s", amount=_amount(-seconds, lang))
    return gettext(lang, "%(amount)s lagi", amount=_amount(seconds, lang))


def _page_url(context: Mapping[str, Any], page: int) -> str:
    """This page's address with the same query but another page number."""
    request: Request[Any, Any, Any] = context["request"]
    params = [(key, value) for key, value in request.query_params.multi_items() if key != "page"]
    path: str = request.url.path
    return path + "?" + urlencode([*params, ("page", str(page))])


@pass_context
def _day(context: Mapping[str, Any], value: date | str | None) -> str:
    """A calendar day in the visitor's language: '3 Desember 2026' / 'December 3, 2026'."""
    if value is None:
        return "—"
    return format_date(
        _language(context), date.fromisoformat(value) if isinstance(value, str) else value
    )


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(settings.current().tz).strftime("%Y-%m-%d %H:%M")


def _map_settings() -> settings.Settings:
    """What a map draws its base layer from (INGATKAN_MAP_TILES, INGATKAN_MAP_ATTRIBUTION)."""
    return settings.current()


def _setup(engine: JinjaTemplateEngine) -> None:
    engine.engine.add_extension("jinja2.ext.i18n")
    # The i18n extension adds this method to the environment when it loads: untyped.
    engine.engine.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext
    )
    engine.register_template_callable("name_of", _name_of)
    engine.register_template_callable("left", _left)
    engine.register_template_callable("page_url", _page_url)
    engine.engine.filters["when"] = _when
    engine.engine.filters["day"] = _day
    engine.engine.globals["limits"] = LIMITS
    engine.engine.globals["map_settings"] = _map_settings


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_setup)
