"""What leadership reads beside each figure: the period before and the change from it, the
backlog at each week's end (on both engines, the clock pinned), and the evaluation's score
rounded once, as the page and the CSV (in Indonesian decimals too) both show it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import clock
from core.figures.dashboard import backlog_trend, compare
from core.figures.evaluation import to_csv
from core.figures.models import (
    Evaluation,
    EvaluationLine,
    Figures,
    Period,
    ScoreParts,
)
from core.reports import lifecycle
from core.reports.intake import submit_report
from tests.helpers import ADMIN, FixedRouter

WIB = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 8, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("30d", date(2026, 6, 14), date(2026, 7, 13)),
        ("2026", date(2025, 1, 1), date(2025, 12, 31)),
        ("2026-03", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-01", date(2025, 12, 1), date(2025, 12, 31)),
        ("2026-Q1", date(2025, 10, 1), date(2025, 12, 31)),
        ("2026-Q3", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-H1", date(2025, 7, 1), date(2025, 12, 31)),
    ],
)
def test_the_period_before_is_of_the_same_kind(key: str, start: date, end: date) -> None:
    period = Period.parse(key, today=TODAY)
    before = period.previous()
    assert (before.start, before.end) == (start, end)
    assert before.days == period.days or not key.endswith("d")


def test_each_headline_figure_is_compared_with_the_period_before() -> None:
    now = Figures(received=112, first_response_met=9, first_response_missed=1, rating_sum=8)
    before = Figures(received=100, first_response_met=8, first_response_missed=2)
    changes = compare(now, before)
    received = changes["received"]
    assert (received.delta, received.relative, received.better) == (12, 0.12, None)
    compliance = changes["first_response_compliance"]
    assert compliance.delta == pytest.approx(0.1) and compliance.better is True
    assert compliance.relative is None  # a share changes in percentage points
    assert changes["rating"].delta is None  # no ratings in either period
    worse = compare(before, now)["first_response_compliance"]
    assert worse.better is False


async def _submitted(day: datetime) -> str:
    with clock.frozen_at(day):
        report = await submit_report(
            text="Sampah menumpuk di TPS Jl. Sukarno Hatta sejak seminggu",
            channel="web",
            router=FixedRouter("DLH"),
        )
    return report.tracking_code


async def test_the_backlog_is_counted_at_each_weeks_end(db: str) -> None:
    monday = datetime(2026, 7, 27, 9, 0, tzinfo=WIB)  # three weeks before TODAY's week
    first = await _submitted(monday)
    second = await _submitted(monday + timedelta(days=1))
    await _submitted(monday + timedelta(days=8))
    with clock.frozen_at(monday + timedelta(days=9)):
        await lifecycle.acknowledge(tracking_code=first, actor=ADMIN)
        await lifecycle.resolve(tracking_code=first, answer="Sudah diangkut", actor=ADMIN)
        await lifecycle.reject(tracking_code=second, reason="Laporan ganda", actor=ADMIN)
    with clock.frozen_at(monday + timedelta(days=15)):
        await lifecycle.reopen(tracking_code=first, reason="Menumpuk lagi", actor=ADMIN)
    now = datetime.combine(TODAY, datetime.min.time(), tzinfo=WIB) + timedelta(hours=10)
    period = Period(start=date(2026, 7, 27), end=TODAY, key="17d")
    with clock.frozen_at(now):
        points = await backlog_trend(period=period, now=now)
    assert [point.week for point in points] == [
        date(2026, 7, 27),
        date(2026, 8, 3),
        date(2026, 8, 10),
    ]
    # Week 1 ends with two open; week 2: one new, one resolved, one rejected; week 3: the
    # resolved one reopened; and this week's point is now.
    assert [point.open for point in points] == [2, 1, 2]
    assert points[-1].at == now


def _evaluation(score: float) -> Evaluation:
    figures = Figures(received=10, routed=10, first_response_met=2, first_response_missed=1)
    line = EvaluationLine(
        rank=1,
        code="DLH",
        name="Dinas Lingkungan Hidup",
        figures=figures,
        components=ScoreParts(
            first_response=None, resolution=None, rating=None, reopen=None, backlog=None
        ),
        score=score,
        warning_letters=0,
    )
    return Evaluation(
        period=Period.half_year(2026, 2),
        provisional=False,
        generated_at=datetime(2026, 12, 31, tzinfo=WIB),
        lines=[line],
        letters=[],
    )


def test_the_score_is_rounded_once_and_reads_in_indonesian_decimals() -> None:
    evaluation = _evaluation(55.15)  # 55.149999… in binary: rounded as written, half up
    assert evaluation.lines[0].score_shown == 55.2
    plain = next(csv.DictReader(io.StringIO(to_csv(evaluation))))
    assert (plain["score"], plain["first_response_compliance"]) == ("55.2", "0.6667")
    text = to_csv(evaluation, decimal_comma=True)
    indonesian = next(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert (indonesian["score"], indonesian["first_response_compliance"]) == ("55,2", "0,6667")
    assert indonesian["department"] == "Dinas Lingkungan Hidup"
