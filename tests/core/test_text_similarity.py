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


@pytest.mark.parametrize("draw", range(10))
def test_a_floor_leaves_out_only_texts_below_it(draw: int) -> None:
    """The case check asks only for texts alike enough: those keep their exact score."""
    rng = random.Random(100 + draw)
    texts = rng.sample(_texts(), rng.randint(2, 300))
    # The report's own text among the others, so some score high.
    texts.insert(rng.randint(1, len(texts)), texts[0])
    subjects = [_subject(number, text) for number, text in enumerate(texts)]

    every = text_scores(subjects[0], subjects[1:])
    floored = text_scores(subjects[0], subjects[1:], at_least=0.3)

    assert max(every) == pytest.approx(1.0)
    for whole, left in zip(every, floored, strict=True):
        if whole >= 0.3:
            assert left == whole
        else:  # left out (0), or worked out all the same
            assert left in (0.0, whole)
