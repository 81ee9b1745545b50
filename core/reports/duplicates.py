"""Which open reports of a department likely tell of the same problem as one report.

Each candidate gets a score from 0 to 1 out of three signals:

- text: the cosine of the two texts' TF-IDF vectors, after the classifier's normaliser (which
  spells slang and chat words one way), fitted on the candidates themselves so that words
  every report of the department uses ("jalan", "tolong") weigh little;
- place: the distance where both have a point (1 on the spot, 0 from `FAR_METRES`); otherwise
  the street both name ("Jl. Soekarno Hatta", in the address or the text), or at least the
  same kecamatan (core/place);
- time: 1 for the same moment, halving every `HALF_LIFE_DAYS`.

The text weighs most: two different problems at one spot (a pothole and a broken lamp) share a
place and a time, and must not outrank the same pothole described twice.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from datetime import datetime
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

from classifier.normalize import normalize
from core.reports.lifecycle import WITH_DEPARTMENT
from core.reports.models import PossibleDuplicate, Status
from db.engine import current_engine, driver_rows
from db.tables import Report

TEXT_WEIGHT = 0.6
PLACE_WEIGHT = 0.25
TIME_WEIGHT = 0.15
FAR_METRES = 500.0
HALF_LIFE_DAYS = 7.0
# A named street is a strong sign but a street is long; a kecamatan a weak one.
SAME_STREET = 0.7
SAME_KECAMATAN = 0.2
# Staff see candidates from this score on, at most LIMIT of them, best first.
MIN_SCORE = 0.3
LIMIT = 5
# A new report is offered to join a case from this score on, with texts at least this alike.
CASE_SCORE = 0.6
CASE_TEXT = 0.45
# How many of the department's open reports, newest first, are compared: a duplicate is
# reported while the problem is fresh.
CANDIDATES = 300
_EARTH_METRES = 6_371_000.0
_STREET_WORDS = frozenset({"jalan", "jln", "jl"})
_TOKEN = re.compile(r"[a-z]+|\d+")
_STREET_NOISE = frozenset({"no", "nomor", "dekat", "depan", "di", "rt", "rw", "gang", "gg"})
# A term is a word of two letters or more (scikit-learn's TfidfVectorizer's default pattern).
_TERM = re.compile(r"(?u)\b\w\w+\b")
# Texts whose terms and streets are kept per process: every new report is compared with its
# department's newest open reports (up to CANDIDATES), mostly the same ones as the last time.
_REMEMBERED_TEXTS = 8192


class Subject(msgspec.Struct, frozen=True, kw_only=True):
    """What the scores read of a report (a ReportRecord or a Report row)."""

    id: int
    tracking_code: str
    text: str
    status: Status
    department: int | None
    latitude: float | None
    longitude: float | None
    address: str | None
    kecamatan: str | None = None
    created_at: datetime
    confidential: bool = False
    # When the report last changed, where known: what a kept candidate is checked against.
    updated_at: datetime | None = None


def _metres(a: Subject, b: Subject) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians, (a.latitude or 0.0, a.longitude or 0.0, b.latitude or 0.0, b.longitude or 0.0)
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_METRES * math.asin(math.sqrt(h))


def streets(report: Subject) -> frozenset[str]:
    """The streets a report names, by their first two words ("Jl. Soekarno-Hatta No. 5" ->
    "soekarno hatta"), in its address or its text."""
    return _streets(report.address or "", report.text)


@functools.lru_cache(maxsize=_REMEMBERED_TEXTS)
def _streets(address: str, text: str) -> frozenset[str]:
    found = set()
    for source in (address, text):
        words = _TOKEN.findall(source.lower())
        for at, word in enumerate(words):
            if word not in _STREET_WORDS:
                continue
            name = []
            for following in words[at + 1 : at + 3]:
                if not following.isalpha() or following in _STREET_NOISE:
                    break
                name.append(following)
            if name:
                found.add(" ".join(name))
    return frozenset(found)


def place_score(a: Subject, b: Subject) -> float:
    distance = _metres(a, b)
    if distance is not None:
        return max(0.0, 1.0 - distance / FAR_METRES)
    if streets(a) & streets(b):
        return SAME_STREET
    if a.kecamatan and a.kecamatan == b.kecamatan:
        return SAME_KECAMATAN
    return 0.0


def time_score(a: Subject, b: Subject) -> float:
    days = abs((a.created_at - b.created_at).total_seconds()) / 86_400
    return float(0.5 ** (days / HALF_LIFE_DAYS))


# Every term met gets a number for the process's lifetime, so a kept text's terms are an array
# of numbers and a comparison does no work per word. Texts full of words seen once (codes,
# numbers, typos) would grow it without end: past this many, it starts again.
_TERM_NUMBERS: dict[str, int] = {}
_MOST_TERMS = 200_000


@functools.lru_cache(maxsize=_REMEMBERED_TEXTS)
def _terms(text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """A text's terms after the classifier's normaliser, as numbers, and each one's sublinear
    frequency (1 + ln count)."""
    counts = Counter(_TERM.findall(normalize(text).lower()))
    numbers = np.fromiter(
        (_TERM_NUMBERS.setdefault(term, len(_TERM_NUMBERS)) for term in counts),
        dtype=np.int64,
        count=len(counts),
    )
    frequencies = np.fromiter(
        (1.0 + math.log(count) for count in counts.values()), dtype=np.float64, count=len(counts)
    )
    return numbers, frequencies


def text_scores(report: Subject, others: list[Subject]) -> list[float]:
    """The text similarity of `report` to each of `others`, 0–1: the cosine of TF-IDF vectors
    (sublinear term frequency, smoothed inverse document frequency, as scikit-learn's
    TfidfVectorizer(sublinear_tf=True)) fitted on these texts alone. Written out because the
    vectoriser's own cost, for a few hundred short texts, was most of a submission's; as
    arrays, because a loop over their words in Python was still a tenth of a bot's update."""
    if len(_TERM_NUMBERS) > _MOST_TERMS:
        _TERM_NUMBERS.clear()
        _terms.cache_clear()
    documents = [_terms(one.text) for one in (report, *others)]
    sizes = np.fromiter((len(numbers) for numbers, _ in documents), dtype=np.int64)
    # Each term occurrence: its column among these texts' terms, and the text it is in.
    used, columns = np.unique(
        np.concatenate([numbers for numbers, _ in documents]), return_inverse=True
    )
    rows = np.repeat(np.arange(len(documents)), sizes)
    in_texts = np.bincount(columns, minlength=len(used))  # a text names a term once
    idf = np.log((len(documents) + 1) / (1 + in_texts)) + 1.0
    weights = np.concatenate([frequencies for _, frequencies in documents]) * idf[columns]
    norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=len(documents)))
    mine = np.zeros(len(used))
    mine[columns[: sizes[0]]] = weights[: sizes[0]]
    dots = np.bincount(rows, weights=weights * mine[columns], minlength=len(documents))
    lengths = norms * norms[0]
    # A text without a term (or a report without one) is like nothing.
    cosines = np.divide(dots, lengths, out=np.zeros(len(documents)), where=lengths > 0)
    return [float(cosine) for cosine in cosines[1:]]


def scored(report: Subject, others: list[Subject]) -> list[tuple[Subject, float, float]]:
    """Each of `others` with its score and its text similarity, best first."""
    texts = text_scores(report, others)
    result = [
        (other, _score(report, other, text), text)
        for other, text in zip(others, texts, strict=True)
    ]
    return sorted(result, key=lambda item: (-item[1], item[0].id))


def _score(report: Subject, other: Subject, text: float) -> float:
    return round(
        TEXT_WEIGHT * text
        + PLACE_WEIGHT * place_score(report, other)
        + TIME_WEIGHT * time_score(report, other),
        3,
    )


_COLUMNS = (
    Report.id,
    Report.tracking_code,
    Report.text,
    Report.status,
    Report.department,
    Report.latitude,
    Report.longitude,
    Report.address,
    Report.kecamatan,
    Report.created_at,
    Report.updated_at,
    Report.confidential,
)


class _Kept(msgspec.Struct):
    """Candidates read before, by id, each as of its `updated_at` (every change of a report
    sets it), for one database: every submission to a department compares its report with
    mostly the same few hundred open reports as the submission before."""

    engine: object
    subjects: dict[int, tuple[datetime, Subject]]


_kept = _Kept(engine=None, subjects={})


def _kept_here() -> _Kept:
    global _kept
    engine = current_engine()
    if _kept.engine is not engine or len(_kept.subjects) > _REMEMBERED_TEXTS:
        _kept = _Kept(engine=engine, subjects={})
    return _kept


async def _candidates(report: Subject, condition: Any) -> list[Subject]:
    if report.department is None:
        scope: Any = Report.department.is_null() & (Report.status == Status.TRIAGE)
    else:
        scope = (Report.department == report.department) & Report.status.is_in(
            sorted(WITH_DEPARTMENT)
        )
    newest = await driver_rows(
        Report.select(Report.id, Report.updated_at)
        .where(scope & condition & (Report.id != report.id))
        .order_by(Report.created_at, ascending=False)
        .limit(CANDIDATES)
    )
    kept = _kept_here().subjects
    stale = [id_ for id_, updated_at in newest if kept.get(id_, (None,))[0] != updated_at]
    if stale:
        for row in await Report.select(*_COLUMNS).where(Report.id.is_in(stale)):
            kept[row["id"]] = (row["updated_at"], msgspec.convert(row, Subject))
    # A report changed between the two reads is taken as read the second time.
    return [kept[id_][1] for id_, _ in newest if id_ in kept]


async def possible_duplicates(*, report: Subject) -> list[PossibleDuplicate]:
    """Open reports of the report's department (triage reports for a triage one) likely about
    the same problem, best first, for the department's staff."""
    if report.status not in {Status.TRIAGE, *WITH_DEPARTMENT}:
        return []
    found = scored(report, await _candidates(report, Report.id.is_not_null()))
    return [
        PossibleDuplicate(
            tracking_code=other.tracking_code,
            text=other.text,
            status=other.status,
            created_at=other.created_at,
            score=score,
        )
        for other, score, _ in found[:LIMIT]
        if score >= MIN_SCORE
    ]


async def possible_case(*, report: Subject) -> str | None:
    """The tracking code of an open, not confidential case of the department that a new
    report very likely repeats: its citizen may join it (core/reports/merging.py)."""
    if report.department is None or report.status not in WITH_DEPARTMENT:
        return None
    if report.updated_at is not None:
        # The next report of the department compares with this one: kept, it is not read.
        _kept_here().subjects[report.id] = (report.updated_at, report)
    others = await _candidates(
        report,
        (Report.confidential == False) & (Report.created_at <= report.created_at),  # noqa: E712
    )
    # Only texts alike enough can be the case: place and time are weighed for those alone.
    alike = [
        (other, text)
        for other, text in zip(others, text_scores(report, others), strict=True)
        if text >= CASE_TEXT
    ]
    for other, score, _ in sorted(
        ((other, _score(report, other, text), text) for other, text in alike),
        key=lambda item: (-item[1], item[0].id),
    ):
        if score >= CASE_SCORE:
            return other.tracking_code
    return None
