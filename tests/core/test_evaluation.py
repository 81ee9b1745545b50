"""The six-monthly evaluation on a hand-built half year whose scores are worked out by hand
(weights in docs/metrics.md), on both engines."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec
import pytest

from core import clock
from core.errors import InvalidInput
from core.figures.evaluation import CSV_COLUMNS, evaluate, parse_half, to_csv
from core.figures.models import Period
from core.reports import lifecycle
from core.reports.intake import submit_report
from core.service_levels import escalation
from db.tables import Department
from tests.helpers import ADMIN, FixedRouter

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 7, 6, 9, 0, tzinfo=WIB)  # no holidays in the weeks that follow
EVALUATED = datetime(2026, 8, 10, 9, 0, tzinfo=WIB)
H2 = Period.half_year(2026, 2)


async def _reports(
    department: str,
    count: int,
    *,
    answered: bool = True,
    rating: int | None = None,
    reopened: int = 0,
) -> None:
    """`count` reports to `department` on Monday; answered ones are acknowledged on Tuesday
    and resolved on Wednesday, well within their deadlines; the first `reopened` of them are
    reopened on Thursday and resolved again on Friday."""
    for number in range(count):
        with clock.frozen_at(MONDAY + timedelta(minutes=number)):
            report = await submit_report(
                text=f"Laporan nomor {number} untuk {department}",
                channel="web",
                router=FixedRouter(department),
            )
        code = report["tracking_code"]
        if not answered:
            continue
        with clock.frozen_at(MONDAY + timedelta(days=1)):
            await lifecycle.acknowledge(tracking_code=code, actor=ADMIN)
        with clock.frozen_at(MONDAY + timedelta(days=2)):
            await lifecycle.resolve(tracking_code=code, answer="Sudah ditangani", actor=ADMIN)
        if number < reopened:
            with clock.frozen_at(MONDAY + timedelta(days=3)):
                await lifecycle.reopen(tracking_code=code, reason="Belum beres", actor=ADMIN)
            with clock.frozen_at(MONDAY + timedelta(days=4)):
                await lifecycle.resolve(tracking_code=code, answer="Tuntas", actor=ADMIN)
        if rating is not None:
            with clock.frozen_at(MONDAY + timedelta(days=5)):
                await lifecycle.close(tracking_code=code, actor=ADMIN, rating=rating)


async def _half_year() -> None:
    await _reports("DLH", 10, rating=5)  # every component 1: score 100
    # Half answered well and rated 3 (0.5), half never answered: first response 5/10,
    # resolution 5/10 (the unanswered passed their resolution deadline on 24 July), rating
    # 0.5, no reopenings (1.0), half still open (0.5): 100 × (.15 + .125 + .1 + .1 + .075).
    await _reports("DISHUB", 5, rating=3)
    await _reports("DISHUB", 5, answered=False)
    # No ratings: the rating's 20 % goes to the rest in proportion; one of ten reopened
    # (0.9): 100 × (.3 + .25 + .1 × .9 + .15) / .8.
    await _reports("DISKOMINFO", 10, reopened=1)
    await _reports("DINKES", 3, rating=5)  # too few to rank
    with clock.frozen_at(EVALUATED):
        await escalation.sweep()  # DISHUB's five unanswered are past twice their deadline


async def test_ranked_table_scores_and_warning_letters(db: str) -> None:
    await _half_year()
    with clock.frozen_at(EVALUATED):
        result = await evaluate(period=H2)
        first_half = await evaluate(period=Period.half_year(2026, 1))
    ranked = [(line.rank, line.code, line.score) for line in result.lines if line.rank]
    assert ranked == [
        (1, "DLH", pytest.approx(100.0)),
        (2, "DISKOMINFO", pytest.approx(98.75)),
        (3, "DISHUB", pytest.approx(55.0)),
    ]
    by_code = {line.code: line for line in result.lines}
    assert len(by_code) == 18  # every active department is listed
    dishub = by_code["DISHUB"]
    assert msgspec.structs.asdict(dishub.components) == pytest.approx(
        {"first_response": 0.5, "resolution": 0.5, "rating": 0.5, "reopen": 1.0, "backlog": 0.5}
    )
    assert by_code["DISKOMINFO"].components.rating is None
    assert by_code["DINKES"].rank is None and by_code["DINKES"].score == pytest.approx(100.0)
    assert [line.code for line in result.lines[3:5]] == ["BAPENDA", "BPBD"]  # unranked: by code
    assert dishub.warning_letters == 5 and by_code["DLH"].warning_letters == 0
    assert {letter.department_code for letter in result.letters} == {"DISHUB"}
    assert len(result.letters) == 5
    assert all(letter.tracking_code.startswith("MLG-") for letter in result.letters)
    assert result.provisional and not first_half.provisional
    assert first_half.letters == [] and all(line.rank is None for line in first_half.lines)


async def test_csv_export_has_the_documented_columns(db: str) -> None:
    await _half_year()
    with clock.frozen_at(EVALUATED):
        text = to_csv(await evaluate(period=H2))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    dishub = next(row for row in rows if row["department_code"] == "DISHUB")
    assert dishub == {
        "rank": "3",
        "department_code": "DISHUB",
        "department": "Dinas Perhubungan",
        "received": "10",
        "routed": "10",
        "first_response_compliance": "0.5000",
        "resolution_compliance": "0.5000",
        "rating_mean": "3.00",
        "rating_count": "5",
        "reopen_rate": "0.0000",
        "open_share": "0.5000",
        "warning_letters": "5",
        "policy_decisions": "0",
        "policy_decisions_on_time": "0",
        "score": "55.0",
    }
    empty = next(row for row in rows if row["department_code"] == "BPBD")
    assert (empty["rank"], empty["score"], empty["first_response_compliance"]) == ("", "", "")


def test_halves_are_parsed_strictly() -> None:
    today = date(2026, 8, 10)
    assert parse_half(None, today=today) == H2
    assert parse_half(" 2026-h1 ", today=today) == Period(
        start=date(2026, 1, 1), end=date(2026, 6, 30), key="2026-H1"
    )
    for bad in ("2026-Q1", "2026", "2026-H3", "H1", "2026-H1x"):
        with pytest.raises(InvalidInput):
            parse_half(bad, today=today)


async def test_csv_neutralises_spreadsheet_formulas_in_names(db: str) -> None:
    await Department.update({Department.name: '=HYPERLINK("http://x.example","klik")'}).where(
        Department.code == "DLH"
    )
    with clock.frozen_at(EVALUATED):
        text = to_csv(await evaluate(period=H2))
    rows = list(csv.DictReader(io.StringIO(text)))
    dlh = next(row for row in rows if row["department_code"] == "DLH")
    assert dlh["department"] == '\'=HYPERLINK("http://x.example","klik")'
