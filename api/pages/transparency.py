"""The public transparency page: how each department answers, in aggregate figures only (no
report text, code, place or person)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from api.pages.base import PageController, page_language, render
from api.pages.figures import (
    Numbers,
    Value,
    cell_values,
    period_choices,
    public_values,
    sort_key,
    sorted_by,
)
from core.figures.dashboard import city_today, department_figures
from core.figures.models import Figures, Period
from core.reports.models import DepartmentRef

DEFAULT_PERIOD = "90d"


class TransparencyPages(PageController):
    path = "/transparansi"

    @get("/")
    async def transparency(
        self,
        request: Request[Any, Any, Any],
        period: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
    ) -> Template:
        today = await city_today()
        chosen = Period.parse(period[:20] if period else None, today=today, default=DEFAULT_PERIOD)
        figures = await department_figures(period=chosen)
        rows = figures.departments
        pairs, sort_by = sorted_by(
            [(row.department, row.figures) for row in rows],
            _values,
            sort_key(sort),
        )
        return await render(
            request,
            "transparency.html",
            period=chosen,
            rows=pairs,
            sort_by=sort_by,
            query=urlencode({"period": chosen.key}),
            values=cell_values(_values),
            city=Figures.total(row.figures for row in rows),
            age=figures.age,
            num=Numbers(page_language(request)),
            choices=period_choices(chosen, today=today),
        )


def _values(pair: tuple[DepartmentRef, Figures]) -> dict[str, Value]:
    return public_values(*pair)
