"""Leadership's pages: the dashboard, one department's drill-down (also open to that
department's head), and the six-monthly evaluation as a printable page and as CSV."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from api.guards import LEADERSHIP_ROLES, SIGNED_IN, SignedInUser, allow
from api.pages.base import PageController, page_language, render
from api.pages.figures import (
    Numbers,
    backlog_json,
    cell_values,
    evaluation_values,
    line_values,
    period_choices,
    sort_key,
    sorted_by,
    trend_json,
)
from core.figures.dashboard import AGE_BANDS, city_today, dashboard, department_detail
from core.figures.evaluation import WEIGHTS, evaluate, parse_half, to_csv
from core.figures.kecamatan import kecamatan_figures
from core.figures.models import Period
from core.staff.actors import Role
from core.staff.permissions import DEPARTMENT_ROLES

# A head of department sees the drill-down of their own department.
DRILL_DOWN_ROLES = LEADERSHIP_ROLES | {Role.HEAD}
PERIOD_PARAM = 20  # longest period key accepted before parsing, e.g. "2026-H1"
# `columns=all` shows every column of the department table; without it, the key columns.
ALL_COLUMNS = "all"
# `decimal=comma`: the evaluation CSV as a spreadsheet set to Indonesian reads it.
DECIMAL_COMMA = "comma"
BOM = "\ufeff"  # tells a spreadsheet the CSV is UTF-8


def _period_text(value: str | None) -> str | None:
    return value[:PERIOD_PARAM] if value else None


class LeadershipPages(PageController):
    path = "/leadership"
    dependencies = SIGNED_IN

    @get("/", guards=[allow(LEADERSHIP_ROLES)])
    async def overview(
        self,
        request: Request[Any, Any, Any],
        period: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
        columns: FromQuery[str | None] = None,
    ) -> Template:
        today = await city_today()
        chosen = Period.parse(_period_text(period), today=today)
        board = await dashboard(period=chosen)
        lang = page_language(request)
        full = columns == ALL_COLUMNS
        departments, sort_by = sorted_by(board.departments, line_values, sort_key(sort))
        return await render(
            request,
            "leadership/dashboard.html",
            board=board,
            departments=departments,
            sort_by=sort_by,
            full=full,
            query=_query(chosen, full=full),
            values=cell_values(line_values),
            num=Numbers(lang),
            bands=[label for _, label in AGE_BANDS],
            choices=period_choices(chosen, today=today),
            trend=trend_json(board.weeks, lang),
            by_kecamatan=await kecamatan_figures(period=chosen),
            backlog=backlog_json(board.backlog, lang),
        )

    @get("/department/{code:str}", guards=[allow(DRILL_DOWN_ROLES)])
    async def department(
        self,
        request: Request[Any, Any, Any],
        user: SignedInUser,
        code: FromPath[str],
        period: FromQuery[str | None] = None,
        columns: FromQuery[str | None] = None,
    ) -> Template:
        code = code.strip().upper()[:40]
        if user.role in DEPARTMENT_ROLES and code != user.department_code:
            raise PermissionDeniedException()
        today = await city_today()
        chosen = Period.parse(_period_text(period), today=today)
        detail = await department_detail(code=code, period=chosen)
        lang = page_language(request)
        return await render(
            request,
            "leadership/department.html",
            detail=detail,
            full=columns == ALL_COLUMNS,
            sort_by="",
            query=_query(chosen, full=columns == ALL_COLUMNS),
            values=cell_values(line_values),
            num=Numbers(lang),
            bands=[label for _, label in AGE_BANDS],
            choices=period_choices(chosen, today=today),
            trend=trend_json(detail.weeks, lang),
        )

    @get("/evaluation", guards=[allow(LEADERSHIP_ROLES)])
    async def evaluation(
        self,
        request: Request[Any, Any, Any],
        period: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
    ) -> Template:
        today = await city_today()
        result = await evaluate(period=parse_half(_period_text(period), today=today))
        lines, sort_by = sorted_by(result.lines, evaluation_values, sort_key(sort))
        return await render(
            request,
            "leadership/evaluation.html",
            evaluation=result,
            lines=lines,
            sort_by=sort_by,
            query=_query(result.period, full=False),
            values=cell_values(evaluation_values),
            num=Numbers(page_language(request)),
            weights=WEIGHTS,
            halves=_recent_halves(today, result.period),
        )

    @get("/evaluation.csv", guards=[allow(LEADERSHIP_ROLES)])
    async def evaluation_csv(
        self, period: FromQuery[str | None] = None, decimal: FromQuery[str | None] = None
    ) -> Response[str]:
        """UTF-8 with a byte-order mark, so a spreadsheet reads the names right; with
        `decimal=comma`, decimal commas and semicolons, as one set to Indonesian expects."""
        result = await evaluate(period=parse_half(_period_text(period), today=await city_today()))
        return Response(
            BOM + to_csv(result, decimal_comma=decimal == DECIMAL_COMMA),
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": f'attachment; filename="evaluasi-{result.period.key}.csv"'
            },
        )


def _query(period: Period, *, full: bool) -> str:
    """The page's address parameters a sort link keeps."""
    return urlencode({"period": period.key, **({"columns": ALL_COLUMNS} if full else {})})


def _recent_halves(today: date, shown: Period) -> list[str]:
    """This half and the three before it, and the one shown."""
    halves = [Period.half_year_of(today)]
    while len(halves) < 4:
        halves.append(halves[-1].previous_half())
    keys = [half.key for half in halves]
    return keys if shown.key in keys else [*keys, shown.key]
