import json
from pathlib import Path

import pytest

from classifier import DEPARTMENTS, CorpusError, Example, load_fresh, load_jsonl, load_split


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
