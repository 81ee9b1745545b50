import json
from collections import Counter
from pathlib import Path

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from classifier import (
    DEPARTMENTS,
    REFERRALS,
    CorpusError,
    Example,
    load_eval,
    load_fresh,
    load_jsonl,
    load_split,
    normalize,
)
from core.routing.referrals import REFERRALS as CONTACTS
from core.routing.referrals import referral


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_jsonl_reads_examples(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "x.jsonl",
        json.dumps({"text": "jalan rusak", "department": "DPUPRPKP", "urgent": False}),
        "",
        json.dumps({"text": "halo", "department": None, "urgent": False}),
    )
    assert load_jsonl(path) == [
        Example(text="jalan rusak", department="DPUPRPKP", urgent=False),
        Example(text="halo", department=None, urgent=False),
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "Expecting"),
        ('["a list"]', "JSON object"),
        ('{"text": "", "department": null, "urgent": false}', "text"),
        ('{"text": "x", "urgent": false}', "department"),
        ('{"text": "x", "department": "DINAS_X", "urgent": false}', "DINAS_X"),
        ('{"text": "x", "department": "DLH", "urgent": "yes"}', "urgent"),
    ],
)
def test_load_jsonl_names_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    good = json.dumps({"text": "ok", "department": "DLH", "urgent": False})
    path = _write(tmp_path / "bad.jsonl", good, line)
    with pytest.raises(CorpusError, match=rf"bad\.jsonl:2: .*{reason}"):
        load_jsonl(path)


def test_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError, match="split"):
        load_split("test")  # type: ignore[arg-type]


def test_shipped_corpus_covers_every_department(
    train_examples: list[Example], heldout_examples: list[Example]
) -> None:
    for examples in (train_examples, heldout_examples, load_fresh()):
        departments = {example.department for example in examples}
        assert departments == {*DEPARTMENTS, None}


def test_heldout_does_not_repeat_training_texts(
    train_examples: list[Example], heldout_examples: list[Example]
) -> None:
    seen = {example.text.strip().lower() for example in train_examples}
    assert not [e.text for e in heldout_examples if e.text.strip().lower() in seen]


def test_referrals_are_read_under_their_other_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.jsonl",
        json.dumps(
            {"text": "listrik padam", "department": None, "urgent": False, "refer_to": "PLN"}
        ),
        json.dumps({"text": "motor", "department": None, "urgent": False, "refer_to": "Polresta"}),
        json.dumps({"text": "jalan tol", "department": "Jasa Marga", "urgent": False}),
    )
    assert [example.refer_to for example in load_jsonl(path)] == ["PLN", "POLRESTA", "JASA_MARGA"]
    assert all(example.department is None for example in load_jsonl(path))


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"text": "x", "department": None, "urgent": False, "refer_to": "PLNX"}, "PLNX"),
        ({"text": "x", "department": "DLH", "urgent": False, "refer_to": "PLN"}, "null"),
        ({"text": "x", "department": None, "urgent": False, "refer_to": 3}, "referral"),
    ],
)
def test_bad_referrals_are_refused(tmp_path: Path, record: dict[str, object], reason: str) -> None:
    path = _write(tmp_path / "bad.jsonl", json.dumps(record))
    with pytest.raises(CorpusError, match=rf"bad\.jsonl:1: .*{reason}"):
        load_jsonl(path)


def test_every_authority_is_taught_and_has_a_contact(train_examples: list[Example]) -> None:
    counts = Counter(example.refer_to for example in train_examples if example.refer_to)
    assert set(counts) == set(REFERRALS) and min(counts.values()) >= 40
    assert {referral.code for referral in CONTACTS} == set(REFERRALS)
    assert all(referral.phone or referral.website for referral in CONTACTS)
    assert referral("Kota Batu") == referral("KOTA_BATU") is not None
    assert referral("Dinas X") is None and referral(None) is None


def test_evaluation_set_is_not_a_paraphrase_of_the_corpus(
    train_examples: list[Example], heldout_examples: list[Example]
) -> None:
    # classifier/eval/ must measure generalisation: no line's nearest corpus line by word
    # TF-IDF cosine (unigrams and bigrams of the normalised text) is closer than 0.8.
    corpus = [normalize(example.text) for example in [*train_examples, *heldout_examples]]
    evaluation = load_eval()
    texts = [normalize(example.text) for example in evaluation]
    assert len(evaluation) >= 150
    assert {e.refer_to for e in evaluation} >= set(REFERRALS)
    assert any(e.department is None and e.refer_to is None for e in evaluation)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(corpus + texts)
    nearest = linear_kernel(vectorizer.transform(texts), vectorizer.transform(corpus)).max(axis=1)
    too_close = [(t, round(float(s), 2)) for t, s in zip(texts, nearest, strict=True) if s > 0.8]
    assert not too_close
