"""The labelled corpus: loading and validating JSONL examples."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

# Department codes are a contract (see DESIGN.md); a typo in the corpus must
# fail loudly rather than silently create a nineteenth department.
DEPARTMENTS: tuple[str, ...] = (
    "DPUPRPKP",
    "DLH",
    "DISHUB",
    "DISPENDUKCAPIL",
    "DINKES",
    "DISDIKBUD",
    "DINSOS",
    "DISNAKER_PMPTSP",
    "DISKOPINDAG",
    "DISPORAPAR",
    "DISKOMINFO",
    "SATPOLPP",
    "BAPENDA",
    "BPBD",
    "DAMKAR",
    "TUGU_TIRTA",
    "INSPEKTORAT",
    "DKPP",
)


class CorpusError(ValueError):
    """A corpus file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    text: str
    department: str | None
    urgent: bool


def load_jsonl(path: str | Path) -> list[Example]:
    """Read one JSONL file of examples, validating every line."""
    path = Path(path)
    examples = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                examples.append(_parse(line))
            except ValueError as error:
                raise CorpusError(f"{path}:{number}: {error}") from error
    return examples


def load_split(split: Literal["train", "heldout"]) -> list[Example]:
    """All examples of a split, files read in name order for reproducibility."""
    if split not in ("train", "heldout"):
        raise ValueError(f"unknown split {split!r}")
    folder = CORPUS_DIR / split
    return [example for path in sorted(folder.glob("*.jsonl")) for example in load_jsonl(path)]


def load_fresh() -> list[Example]:
    return load_jsonl(CORPUS_DIR / "fresh.jsonl")


def _parse(line: str) -> Example:
    record = json.loads(line)  # json.JSONDecodeError is a ValueError
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("'text' must be a non-empty string")
    if "department" not in record:
        raise ValueError("'department' is missing (use null for non-actionable)")
    department = record["department"]
    if department is not None and department not in DEPARTMENTS:
        raise ValueError(f"unknown department {department!r}")
    urgent = record.get("urgent")
    if not isinstance(urgent, bool):
        raise ValueError("'urgent' must be true or false")
    return Example(text=text, department=department, urgent=urgent)
