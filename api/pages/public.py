"""Pages for everyone, no sign-in: send a report without Telegram, track it by its code,
see what the city answered lately and what it decided on policies."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.errors import status_of
from api.pages.base import (
    LANG_COOKIE,
    LANGUAGES,
    PageController,
    flash_ok,
    local_path,
    page_language,
    photo_response,
    render,
    see_other,
)
from api.pages.forms import FORM, Cut, PageForm, checked, read_form, uploaded_files
from bot.follow import follow_link
from core.catalogue.public import list_policies
from core.citizens import mail
from core.errors import DomainError
from core.input_rules import whole_number
from core.reports import follow_up
from core.reports.attachments import MAX_PHOTO_BYTES, MAX_PHOTOS, clean_photos, public_photo
from core.reports.emergency import ALERTED_NOTICES, contacts_for
from core.reports.intake import Reporter, form_location, public_report, submit_report
from core.reports.lifecycle import invalid_rating
from core.reports.public_feed import policy_decisions, recently_resolved
from core.reports.tracking import normalize_code
from i18n import N_, gettext

ONE_YEAR = 365 * 24 * 60 * 60
# Each mail link's page: its title, the question above its button, and what it did.
_MAIL_LINKS = {
    "confirm": (
        N_("Konfirmasi alamat surel"),
        N_("Konfirmasi alamat ini untuk menerima kabar setiap perubahan laporan Anda."),
        N_("Alamat surel Anda terkonfirmasi. Anda akan menerima kabar setiap perubahan laporan."),
    ),
    "unsubscribe": (
        N_("Berhenti menerima surel"),
        N_("Kami tidak akan mengirim surel lagi ke alamat ini."),
        N_("Anda tidak akan menerima surel dari kami lagi."),
    ),
}
_NEW_KEY = "new_follow_up_key"
# The report form with its photos, each at most MAX_PHOTO_BYTES, and a little for the rest.
MAX_REPORT_FORM_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024


class ReportForm(PageForm):
    """A report from the web page; `anonymous` and `confidential` are checkboxes."""

    text: Annotated[str, Cut(8000)] = ""
    address: Annotated[str, Cut(600)] = ""
    # The point picked on the map (or typed): decimal degrees, both or neither.
    latitude: Annotated[str, Cut(40)] = ""
    longitude: Annotated[str, Cut(40)] = ""
    policy: Annotated[str, Cut(80)] = ""
    stance: Annotated[str, Cut(20)] = ""
    name: Annotated[str, Cut(400)] = ""
    phone: Annotated[str, Cut(64)] = ""
    email: Annotated[str, Cut(500)] = ""
    anonymous: str = ""
    confidential: str = ""


class ConfirmForm(PageForm):
    """The citizen's follow-up key and, if they give one, a rating 1-5 (digits 0-9 only)."""

    key: Annotated[str, Cut(40)] = ""
    rating: str = ""


class ReopenForm(PageForm):
    key: Annotated[str, Cut(40)] = ""
    reason: str = ""  # core refuses one too long, naming the limit


class JoinForm(PageForm):
    """The citizen's follow-up key, and the case their new report joins."""

    key: Annotated[str, Cut(40)] = ""
    into: Annotated[str, Cut(40)] = ""


class SupportForm(PageForm):
    """On an open case's page: the visitor's own report (code and follow-up key) to join it."""

    code: Annotated[str, Cut(40)] = ""
    key: Annotated[str, Cut(40)] = ""


class AnswerRatingForm(PageForm):
    rating: str = ""


class AnswerReopenForm(PageForm):
    reason: str = ""  # core refuses one too long, naming the limit


class PublicPages(PageController):
    path = "/"

    async def _home(
        self,
        request: Request[Any, Any, Any],
        *,
        status_code: int = 200,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
    ) -> Template:
        return await render(
            request,
            "public/home.html",
            status_code=status_code,
            values=values or {},
            errors=errors or {},
            policies=await list_policies(include_revoked=False),
            recent=await recently_resolved(),
            decisions=await policy_decisions(),
        )

    @get("/")
    async def home(self, request: Request[Any, Any, Any]) -> Template:
        return await self._home(request)

    @post("/laporan", before_request=read_form, request_max_body_size=MAX_REPORT_FORM_BYTES)
    async def submit(
        self, request: Request[Any, Any, Any], data: Annotated[ReportForm, FORM]
    ) -> Template | Redirect:
        """A report from the web form, with up to MAX_PHOTOS photos (multipart)."""
        values: dict[str, Any] = msgspec.structs.asdict(data)
        files = await uploaded_files(request, "photos", max_bytes=MAX_PHOTO_BYTES)
        # A browser never sends a file twice: after a refusal the visitor picks them again.
        values["photos_given"] = len(files)
        values["anonymous"] = checked(data.anonymous)
        values["confidential"] = checked(data.confidential)
        reporter = Reporter(
            name=values["name"] or None,
            phone=values["phone"] or None,
            email=values["email"] or None,
        )
        try:
            photos = await clean_photos(files)
            report = await submit_report(
                location=form_location(values["latitude"], values["longitude"]),
                text=values["text"],
                channel="web",
                router=request.app.state.router,
                anonymous=values["anonymous"],
                confidential=values["confidential"],
                policy_code=values["policy"] or None,
                stance=values["stance"] or None,
                address=values["address"] or None,
                reporter=reporter if (reporter.name or reporter.phone or reporter.email) else None,
                photos=photos,
            )
        except DomainError as error:
            lang = page_language(request)
            field = (error.field or "text").removeprefix("reporter.")
            field = "location" if field.startswith("location") else field
            return await self._home(
                request, status_code=400, values=values, errors={field: error.message(lang)}
            )
        # The follow-up key is shown once, on the next page; it never travels in a URL. So is
        # the one-time "follow in Telegram" link, when there is a bot.
        request.session[_NEW_KEY] = {
            "code": report.tracking_code,
            "key": report.follow_up_key,
            "alerted": report.alerted or "",
            "telegram": await follow_link(
                request.app.state.settings, report_id=report.id, citizen_id=report.citizen
            ),
            "case": report.possible_case,
        }
        return see_other(f"/lacak/{report.tracking_code}?baru=1")

    @get("/lacak/{code:str}/foto/{number:int}")
    async def photo(self, code: FromPath[str], number: FromPath[int]) -> Response[bytes]:
        """A photo of a report whose photos are published (core.reports.disclosure)."""
        found = await public_photo(tracking_code=code[:40], number=number)
        # Shared caches may keep it an hour: a report made confidential later stops being
        # served here at once, and from caches within the hour.
        return photo_response(found, cache_control="public, max-age=3600")

    @get("/lacak")
    async def track_form(
        self, request: Request[Any, Any, Any], kode: FromQuery[str | None] = None
    ) -> Template | Redirect:
        if kode is not None:
            code = normalize_code(kode[:40])
            if code:
                return see_other(f"/lacak/{code}")
            return await render(
                request, "public/track_form.html", status_code=400, code=kode[:40], bad_code=True
            )
        return await render(request, "public/track_form.html", code="", bad_code=False)

    @get("/lacak/{code:str}")
    async def track(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        baru: FromQuery[str | None] = None,
    ) -> Template:
        report = await public_report(code)
        given = request.session.pop(_NEW_KEY, None) if _NEW_KEY in request.session else None
        mine = given if given and given["code"] == report.tracking_code else {}
        return await render(
            request,
            "public/track.html",
            report=report,
            just_sent=baru == "1",
            new_key=mine.get("key"),
            # An urgent report's sender is told the emergency lines first, and who was alerted.
            emergency_contacts=contacts_for(urgent=report.urgent) if baru == "1" else (),
            alerted_notice=ALERTED_NOTICES[mine["alerted"]] if "alerted" in mine else None,
            follow_link=mine.get("telegram"),
            possible_case=mine.get("case"),
        )

    @post("/lacak/{code:str}/selesai")
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        data: Annotated[ConfirmForm, FORM],
    ) -> Template | Redirect:
        rating = data.rating.strip()[:2]

        async def act() -> None:
            number = whole_number(rating)
            if rating and number is None:
                raise invalid_rating()
            await follow_up.confirm(tracking_code=code, key=data.key, rating=number)

        return await self._follow_up(
            request, code, act, done=N_("Terima kasih. Laporan ditutup dengan konfirmasi Anda.")
        )

    @post("/lacak/{code:str}/belum-selesai")
    async def reopen(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        data: Annotated[ReopenForm, FORM],
    ) -> Template | Redirect:
        async def act() -> None:
            await follow_up.reopen(tracking_code=code, key=data.key, reason=data.reason)

        return await self._follow_up(
            request,
            code,
            act,
            done=N_(
                "Laporan dibuka kembali dan dikembalikan ke perangkat daerah dengan tenggat baru."
            ),
        )

    @post("/lacak/{code:str}/gabung")
    async def join(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        data: Annotated[JoinForm, FORM],
    ) -> Template | Redirect:
        """ "Saya juga mengalami ini": the new report joins the case its sender was offered."""

        async def act() -> None:
            await follow_up.join(tracking_code=code, key=data.key, into=data.into)

        return await self._follow_up(
            request,
            code,
            act,
            done=N_("Laporan Anda digabungkan. Anda akan menerima setiap kabar kasus ini."),
        )

    @post("/lacak/{code:str}/dukung")
    async def support(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        data: Annotated[SupportForm, FORM],
    ) -> Template | Redirect:
        """ "Saya juga mengalami ini" on a case's page: the visitor's own report joins it."""

        async def act() -> None:
            await follow_up.join(tracking_code=data.code, key=data.key, into=code)

        return await self._follow_up(
            request,
            code,
            act,
            done=N_("Laporan Anda digabungkan. Anda akan menerima setiap kabar kasus ini."),
        )

    async def _follow_up(
        self,
        request: Request[Any, Any, Any],
        code: str,
        act: Callable[[], Awaitable[None]],
        *,
        done: str,
    ) -> Template | Redirect:
        try:
            await act()
        except DomainError as error:
            report = await public_report(code)
            return await render(
                request,
                "public/track.html",
                status_code=status_of(error),
                report=report,
                just_sent=False,
                new_key=None,
                follow_up_error=error.message(page_language(request)),
            )
        flash_ok(request, done)
        return see_other(f"/lacak/{normalize_code(code)}")

    @get("/lacak/{code:str}/nilai/{token:str}")
    async def rate_by_link_form(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        token: FromPath[str],
        nilai: FromQuery[str | None] = None,
    ) -> Template:
        rating = whole_number((nilai or "")[:2])
        return await self._answer(request, code, token, "rate", rating=rating, act=None)

    @post("/lacak/{code:str}/nilai/{token:str}")
    async def rate_by_link(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        token: FromPath[str],
        data: Annotated[AnswerRatingForm, FORM],
    ) -> Template:
        rating = whole_number(data.rating.strip()[:2])

        async def act() -> None:
            if rating is None:
                raise invalid_rating()
            await follow_up.confirm(tracking_code=code, link_token=token[:100], rating=rating)

        return await self._answer(
            request,
            code,
            token,
            "rate",
            rating=rating,
            act=act,
            done=N_("Terima kasih. Laporan ditutup dengan konfirmasi Anda."),
        )

    @get("/lacak/{code:str}/belum-selesai/{token:str}")
    async def reopen_by_link_form(
        self, request: Request[Any, Any, Any], code: FromPath[str], token: FromPath[str]
    ) -> Template:
        return await self._answer(request, code, token, "reopen", act=None)

    @post("/lacak/{code:str}/belum-selesai/{token:str}")
    async def reopen_by_link(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        token: FromPath[str],
        data: Annotated[AnswerReopenForm, FORM],
    ) -> Template:
        async def act() -> None:
            await follow_up.reopen(tracking_code=code, link_token=token[:100], reason=data.reason)

        return await self._answer(
            request,
            code,
            token,
            "reopen",
            reason=data.reason,
            act=act,
            done=N_("Laporan dibuka kembali dan dikembalikan ke dinas dengan tenggat baru."),
        )

    async def _answer(
        self,
        request: Request[Any, Any, Any],
        code: str,
        token: str,
        kind: str,
        *,
        act: Callable[[], Awaitable[None]] | None,
        done: str | None = None,
        rating: int | None = None,
        reason: str = "",
    ) -> Template:
        """A rating or "not done" link from the resolved mail: a page with the rating chosen
        or the reason asked and one button (GET: mail scanners open links), then the act
        (POST), proven by the link's one-time token (core/reports/follow_up.py)."""
        lang = page_language(request)
        code = code[:40]
        title = (
            gettext(lang, "Nilai jawaban laporan %(code)s", code=code)
            if kind == "rate"
            else gettext(lang, "Laporan %(code)s belum selesai?", code=code)
        )
        page: dict[str, Any] = {"title": title, "kind": kind, "code": code}
        status_code = 200
        try:
            if act is not None:
                await act()
                page["done"] = gettext(lang, done or "")
            else:
                page["link"] = await follow_up.answer_link(tracking_code=code, token=token[:100])
        except DomainError as error:
            status_code = status_of(error)
            page["error"] = error.message(lang)
            # A refused rating or reason may be tried again while the link still works.
            with contextlib.suppress(DomainError):
                page["link"] = await follow_up.answer_link(tracking_code=code, token=token[:100])
        return await render(
            request,
            "public/answer.html",
            status_code=status_code,
            rating=rating,
            reason=reason,
            **page,
        )

    @get("/surel/konfirmasi/{token:str}")
    async def mail_confirm_form(self, request: Request[Any, Any, Any]) -> Template:
        return await self._mail_link(request, _MAIL_LINKS["confirm"], act=None)

    @post("/surel/konfirmasi/{token:str}")
    async def mail_confirm(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        return await self._mail_link(
            request, _MAIL_LINKS["confirm"], act=lambda: mail.confirm_address(token=token[:100])
        )

    @get("/surel/berhenti/{token:str}")
    async def unsubscribe_form(self, request: Request[Any, Any, Any]) -> Template:
        return await self._mail_link(request, _MAIL_LINKS["unsubscribe"], act=None)

    @post("/surel/berhenti/{token:str}")
    async def unsubscribe(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        return await self._mail_link(
            request, _MAIL_LINKS["unsubscribe"], act=lambda: mail.unsubscribe(token=token[:100])
        )

    async def _mail_link(
        self,
        request: Request[Any, Any, Any],
        texts: tuple[str, str, str],
        *,
        act: Callable[[], Awaitable[None]] | None,
    ) -> Template:
        """A link from a mail: a page with one button (GET), then the act (POST)."""
        lang = page_language(request)
        title, question, done = (gettext(lang, text) for text in texts)
        if act is None:
            return await render(request, "public/mail_link.html", title=title, question=question)
        try:
            await act()
        except DomainError as error:
            return await render(
                request,
                "public/mail_link.html",
                status_code=status_of(error),
                title=title,
                error=error.message(lang),
            )
        return await render(request, "public/mail_link.html", title=title, done=done)

    @get("/kebijakan")
    async def policies(self, request: Request[Any, Any, Any]) -> Template:
        return await render(
            request,
            "public/policies.html",
            policies=await list_policies(),
            decisions=await policy_decisions(),
        )

    @get("/bahasa/{lang:str}")
    async def language(self, lang: FromPath[str], next: FromQuery[str | None] = None) -> Redirect:
        response = see_other(local_path(next))
        if lang in LANGUAGES:
            response.set_cookie(
                key=LANG_COOKIE, value=lang, max_age=ONE_YEAR, httponly=True, samesite="lax"
            )
        return response
