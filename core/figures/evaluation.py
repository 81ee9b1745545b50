"""The six-monthly evaluation of departments (January–June, July–December): a ranked table
by a composite score, and the warning letters of the half. The score and its weights are
documented in docs/metrics.md ("Six-monthly evaluation").
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import msgspec

from core import clock
from core.errors import InvalidInput
from core.figures.dashboard import city_today, department_figures
from core.figures.export import spreadsheet_safe
from core.figures.models import (
    Evaluation,
    EvaluationLine,
    Figures,
    Period,
    ScoreParts,
    WarningLetterEntry,
)
from core.policies.reviews import decisions_per_department
from core.service_levels.deadlines import working_calendar
from db.tables import WarningLetter
from i18n import N_

# (component, weight). Each component is a share from 0 (worst) to 1 (best).
WEIGHTS: tuple[tuple[str, float], ...] = (
    ("first_response", 0.30),  # first-response compliance
    ("resolution", 0.25),  # resolution compliance
    ("rating", 0.20),  # (mean citizen rating − 1) / 4
    ("reopen", 0.10),  # 1 − reopen rate
    ("backlog", 0.15),  # 1 − share of the half's routed reports still open
)
_HALF = re.compile(r"^\d{4}-H[12]$")
# A department with fewer routed reports in the half is listed but not ranked.
MIN_ROUTED = 10
CSV_COLUMNS = (
    "rank", "department_code", "department", "received", "routed",
    "first_response_compliance", "resolution_compliance", "rating_mean", "rating_count",
    "reopen_rate", "open_share", "warning_letters", "policy_decisions",
    "policy_decisions_on_time", "score",
)  # fmt: skip


def components(figures: Figures) -> ScoreParts:
    rating = figures.rating_mean
    reopen = figures.reopen_rate
    return ScoreParts(
        first_response=figures.first_response_compliance,
        resolution=figures.resolution_compliance,
        rating=(rating - 1) / 4 if rating is not None else None,
        reopen=1 - reopen if reopen is not None else None,
        backlog=1 - figures.open_now / figures.routed if figures.routed else None,
    )


def score(parts: ScoreParts) -> float | None:
    """0–100: the weighted mean of the components that have data; a component without data
    (say, no ratings yet) gives its weight to the others in proportion."""
    weighted: list[tuple[float, float]] = []
    for name, weight in WEIGHTS:
        value: float | None = getattr(parts, name)
        if value is not None:
            weighted.append((weight, value))
    total = sum(weight for weight, _ in weighted)
    if not total:
        return None
    return 100 * sum(weight * value for weight, value in weighted) / total


def parse_half(text: str | None, *, today: date) -> Period:
    """`2026-H1` or `2026-H2`; the current half when not given."""
    if not text:
        return Period.half_year_of(today)
    match = _HALF.match(text.strip().upper())
    if not match:
        raise InvalidInput(
            N_("Semester ditulis seperti 2026-H1 (Januari–Juni) atau 2026-H2 (Juli–Desember)."),
            field="period",
        )
    return Period.parse(match.group(0), today=today)


async def warning_letters(*, period: Period) -> list[WarningLetterEntry]:
    """The warning letters issued in `period` (the one place they are read from)."""
    start, end = period.bounds((await working_calendar()).tz)
    rows = (
        await WarningLetter.select(
            WarningLetter.number,
            WarningLetter.department.code.as_alias("department_code"),
            WarningLetter.department.name.as_alias("department_name"),
            WarningLetter.report.tracking_code.as_alias("tracking_code"),
            WarningLetter.deadline,
            WarningLetter.issued_at,
        )
        .where((WarningLetter.issued_at >= start) & (WarningLetter.issued_at < end))
        .order_by(WarningLetter.issued_at)
    )
    return msgspec.convert(rows, list[WarningLetterEntry])


async def evaluate(*, period: Period) -> Evaluation:
    """The ranked table of departments for a half-year `period`."""
    letters = await warning_letters(period=period)
    start, end = period.bounds((await working_calendar()).tz)
    decisions = await decisions_per_department(start=start, end=end)
    letter_counts: dict[str, int] = {}
    for letter in letters:
        letter_counts[letter.department_code] = letter_counts.get(letter.department_code, 0) + 1
    unranked: list[EvaluationLine] = []
    ranked: list[EvaluationLine] = []
    figures_of = await department_figures(period=period)
    for row in figures_of.departments:
        code, figures = row.department.code, row.figures
        parts = components(figures)
        tally = decisions.get(code)
        line = EvaluationLine(
            rank=None,
            code=code,
            name=row.department.name,
            figures=figures,
            components=parts,
            score=score(parts),
            warning_letters=letter_counts.get(code, 0),
            policy_decisions=tally.decided if tally else 0,
            policy_decisions_on_time=tally.on_time if tally else 0,
        )
        (ranked if figures.routed >= MIN_ROUTED and line.score is not None else unranked).append(
            line
        )
    ranked.sort(key=lambda line: (-(line.score or 0), line.warning_letters, line.code))
    return Evaluation(
        period=period,
        provisional=await city_today() <= period.end,
        generated_at=figures_of.age.as_of or clock.now(),
        catching_up=figures_of.age.catching_up,
        lines=[
            msgspec.structs.replace(line, rank=rank) for rank, line in enumerate(ranked, start=1)
        ]
        + sorted(unranked, key=lambda line: line.code),
        letters=letters,
    )


def to_csv(evaluation: Evaluation, *, decimal_comma: bool = False) -> str:
    """The ranked table as CSV (columns CSV_COLUMNS; shares as fractions 0–1; the score as
    the page shows it). With `decimal_comma`, as a spreadsheet set to Indonesian reads it:
    decimal commas, and cells separated by semicolons."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", delimiter=";" if decimal_comma else ",")
    writer.writerow(CSV_COLUMNS)

    def _number(value: float | None, digits: int) -> str:
        text = "" if value is None else f"{value:.{digits}f}"
        return text.replace(".", ",") if decimal_comma else text

    for line in evaluation.lines:
        f = line.figures
        row: list[object] = [
            line.rank or "",
            spreadsheet_safe(line.code),
            spreadsheet_safe(line.name),
            f.received,
            f.routed,
            _number(f.first_response_compliance, 4),
            _number(f.resolution_compliance, 4),
            _number(f.rating_mean, 2),
            f.rating_count,
            _number(f.reopen_rate, 4),
            _number(line.open_share, 4),
            line.warning_letters,
            line.policy_decisions,
            line.policy_decisions_on_time,
            _number(line.score_shown, 1),
        ]
        writer.writerow(row)
    return out.getvalue()
