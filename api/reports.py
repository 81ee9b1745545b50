"""Public report endpoints: submit, track, and the sender's confirmation or reopening."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from litestar.types import BeforeRequestHookHandler

from api.errors import language
from api.hooks import require_json
from api.schemas import (
    ConfirmIn,
    DepartmentRef,
    EmergencyContactOut,
    ErrorBody,
    PublicReport,
    ReopenIn,
    ReportCreated,
    ReportIn,
)
from core.reports import follow_up
from core.reports.emergency import contacts_for
from core.reports.intake import Location, Reporter, public_report, submit_report
from core.reports.models import SubmittedReport
from core.routing.decision import Router
from i18n import gettext


def provide_router(request: Request[Any, Any, Any]) -> Router:
    router: Router = request.app.state.router
    return router


def _created(report: SubmittedReport, *, lang: str) -> ReportCreated:
    """The answer to a submission: the report as its sender first sees it, with the key."""
    assert report.follow_up_key is not None  # the API is a keyed channel
    return ReportCreated(
        tracking_code=report.tracking_code,
        status=report.status,
        department=DepartmentRef(code=report.routed_to.code, name=report.routed_to.name)
        if report.routed_to
        else None,
        due_at=report.due_at,
        urgent=report.urgent,
        follow_up_key=report.follow_up_key,
        emergency_contacts=[
            EmergencyContactOut(name=gettext(lang, contact.name), number=contact.number)
            for contact in contacts_for(urgent=report.urgent)
        ],
        alerted=report.alerted,
        possible_case=report.possible_case,
    )


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    dependencies = {"router": Provide(provide_router, sync_to_thread=False)}
    before_request: BeforeRequestHookHandler | None = require_json

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Submit a report",
        responses={400: ResponseSpec(ErrorBody, description="Invalid input, naming the field")},
    )
    async def submit(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ReportIn],
        router: NamedDependency[Router],
    ) -> ReportCreated:
        report = await submit_report(
            text=data.text,
            channel="api",
            router=router,
            anonymous=data.anonymous,
            confidential=data.confidential,
            policy_code=data.policy,
            stance=data.stance,
            location=Location(data.location.lat, data.location.lon) if data.location else None,
            address=data.address,
            reporter=Reporter(**msgspec.structs.asdict(data.reporter)) if data.reporter else None,
        )
        return _created(report, lang=language(request))

    @post(
        "/{tracking_code:str}/confirm",
        status_code=HTTP_200_OK,
        summary="The sender confirms a resolved report, optionally rating the answer",
        responses={
            403: ResponseSpec(ErrorBody, description="Wrong follow-up key"),
            404: ResponseSpec(ErrorBody, description="Unknown tracking code"),
            409: ResponseSpec(ErrorBody, description="The report is not resolved"),
        },
    )
    async def confirm(
        self, tracking_code: FromPath[str], data: JSONBody[ConfirmIn]
    ) -> PublicReport:
        await follow_up.confirm(tracking_code=tracking_code, key=data.key, rating=data.rating)
        return await public_report(tracking_code)

    @post(
        "/{tracking_code:str}/reopen",
        status_code=HTTP_200_OK,
        summary="The sender says a resolved report is not fixed",
        responses={
            403: ResponseSpec(ErrorBody, description="Wrong follow-up key"),
            404: ResponseSpec(ErrorBody, description="Unknown tracking code"),
            409: ResponseSpec(ErrorBody, description="The report is not resolved"),
        },
    )
    async def reopen(self, tracking_code: FromPath[str], data: JSONBody[ReopenIn]) -> PublicReport:
        await follow_up.reopen(tracking_code=tracking_code, key=data.key, reason=data.reason)
        return await public_report(tracking_code)

    @get(
        "/{tracking_code:str}",
        summary="Public status and timeline of a report",
        responses={404: ResponseSpec(ErrorBody, description="Unknown tracking code")},
    )
    async def track(self, tracking_code: FromPath[str]) -> PublicReport:
        return await public_report(tracking_code)
