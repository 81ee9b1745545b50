"""CSV exports for leadership and admins, streamed as they are read."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.openapi import ResponseSpec
from litestar.params import QueryParameter
from litestar.response import Stream

from api.guards import LEADERSHIP_ROLES, allow
from api.schemas import ErrorBody
from core.figures import export


class ExportApi(Controller):
    path = "/api/v1/exports"
    tags = ["exports"]
    guards = [allow(LEADERSHIP_ROLES)]

    @get(
        "/reports.csv",
        summary="Reports as CSV, filtered by department, status and date of submission",
        responses={
            400: ResponseSpec(ErrorBody, description="Invalid filter, naming it"),
            401: ResponseSpec(ErrorBody, description="Not signed in"),
            403: ResponseSpec(ErrorBody, description="Not leadership or an admin"),
        },
    )
    async def reports(
        self,
        department: Annotated[str | None, QueryParameter(max_length=40)] = None,
        status: Annotated[
            str | None, QueryParameter(max_length=200, description="Comma-separated statuses")
        ] = None,
        since: Annotated[
            str | None, QueryParameter(name="from", max_length=10, description="YYYY-MM-DD")
        ] = None,
        until: Annotated[
            str | None, QueryParameter(name="to", max_length=10, description="YYYY-MM-DD")
        ] = None,
    ) -> Stream:
        # Checked before the first byte: a bad filter is a 400, not a broken download.
        filters = await export.export_filters(
            department=department, status=status, since=since, until=until
        )
        return Stream(
            export.csv_chunks(filters),
            media_type="text/csv",
            headers={"content-disposition": f'attachment; filename="{export.filename(filters)}"'},
        )
