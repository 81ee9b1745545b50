"""The duplicate check's text similarity is the TF-IDF cosine of scikit-learn's
TfidfVectorizer(sublinear_tf=True), written out for speed: it must give the same scores, or
the same pothole described twice would rank differently than the weights were chosen for."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from classifier.normalize import normalize
from core.reports import duplicates
from core.reports.duplicates import Subject, text_scores
from core.reports.models import Status

CORPUS = Path(__file__).parents[2] / "classifier" / "corpus" / "train"


def _texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for path in sorted(CORPUS.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _subject(number: int, text: str) -> Subject:
    return Subject(
        id=number,
        tracking_code=f"MLG-{number:06d}",
        text=text,
        status=Status.OPEN,
        department=1,
        latitude=None,
        longitude=None,
        address=None,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize("draw", range(20))
def test_scores_equal_scikit_learns_tfidf_cosine(draw: int) -> None:
    rng = random.Random(draw)
    texts = rng.sample(_texts(), rng.randint(2, 300))
    subjects = [_subject(number, text) for number, text in enumerate(texts)]

    ours = text_scores(subjects[0], subjects[1:])

    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform([normalize(t) for t in texts])
    theirs = cosine_similarity(vectors[0], vectors[1:])[0]
    assert ours == pytest.approx(list(theirs), abs=1e-12)


def test_texts_without_a_word_of_two_letters_score_nothing() -> None:
    report, other = _subject(1, "!!"), _subject(2, "? ?")
    assert text_scores(report, [other]) == [0.0]


def test_the_term_numbers_start_again_past_their_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts full of words seen once (codes, numbers) would grow the process's numbering of
    terms without end: past its limit it starts again, and the scores stay the same."""
    texts = _texts()[:40]
    subjects = [_subject(number, text) for number, text in enumerate(texts)]
    before = text_scores(subjects[0], subjects[1:])
    monkeypatch.setattr(duplicates, "_MOST_TERMS", 10)

    after = text_scores(subjects[0], subjects[1:])

    used = {term for text in texts for term in duplicates._TERM.findall(normalize(text).lower())}
    assert len(duplicates._TERM_NUMBERS) == len(used)
    assert after == pytest.approx(before, abs=1e-12)
