"""The labelled corpus: loading and validating JSONL examples."""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
# The evaluation set written apart from the corpus (other situations, other wording): never
# trained on, never used to choose a threshold.
EVAL_DIR = Path(__file__).resolve().parent / "eval"

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


# Outside authorities a report can be referred to (their names and contacts are in
# core/routing/referrals.py). Like the department codes, a corpus label outside this set fails.
REFERRALS: tuple[str, ...] = (
    "PLN",
    "POLRESTA",
    "JASA_MARGA",
    "PEMPROV_JATIM",
    "BPJS",
    "KEMENAG",
    "KAB_MALANG",
    "KOTA_BATU",
    "BBPJN",
)
# Other spellings of a referral a labelled file may use (after upper-casing, with runs of
# anything but letters and digits as "_").
_REFERRAL_ALIASES = {
    "PLN_PERSERO": "PLN",
    "POLICE": "POLRESTA",
    "POLISI": "POLRESTA",
    "POLRI": "POLRESTA",
    "POLRES": "POLRESTA",
    "POLRESTA_MALANG_KOTA": "POLRESTA",
    "POLRESTA_MALANG": "POLRESTA",
    "JASAMARGA": "JASA_MARGA",
    "TOL": "JASA_MARGA",
    "TOLL": "JASA_MARGA",
    "TOLL_ROAD": "JASA_MARGA",
    "PEMPROV": "PEMPROV_JATIM",
    "PROVINSI": "PEMPROV_JATIM",
    "PROVINCE": "PEMPROV_JATIM",
    "PEMPROV_JAWA_TIMUR": "PEMPROV_JATIM",
    "PROVINSI_JAWA_TIMUR": "PEMPROV_JATIM",
    "BPJS_KESEHATAN": "BPJS",
    "BPJS_KETENAGAKERJAAN": "BPJS",
    "KEMENTERIAN_AGAMA": "KEMENAG",
    "KABUPATEN_MALANG": "KAB_MALANG",
    "PEMKAB_MALANG": "KAB_MALANG",
    "BATU": "KOTA_BATU",
    "PEMKOT_BATU": "KOTA_BATU",
    "NATIONAL": "BBPJN",
    "NATIONAL_ROAD": "BBPJN",
    "NATIONAL_ROADS": "BBPJN",
    "JALAN_NASIONAL": "BBPJN",
    "NASIONAL": "BBPJN",
}
_NOT_CODE = re.compile(r"[^A-Z0-9]+")


def referral_code(name: str) -> str | None:
    """The referral code a label names (its code or a known other spelling), or None."""
    code = _NOT_CODE.sub("_", name.upper()).strip("_")
    code = _REFERRAL_ALIASES.get(code, code)
    return code if code in REFERRALS else None


class CorpusError(ValueError):
    """A corpus file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    """A labelled message: a department's, an outside authority's (`refer_to`, department
    None) or neither (non-actionable)."""

    text: str
    department: str | None
    urgent: bool
    refer_to: str | None = None


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


def load_eval() -> list[Example]:
    return [example for path in sorted(EVAL_DIR.glob("*.jsonl")) for example in load_jsonl(path)]


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
    given = record.get("refer_to")
    refer_to = referral_code(given) if isinstance(given, str) else None
    if given is not None and refer_to is None:
        raise ValueError(f"unknown referral {given!r}")
    if isinstance(department, str) and department not in DEPARTMENTS:
        # An outside authority given as the department.
        named = referral_code(department)
        if named:
            department, refer_to = None, refer_to or named
    if department is not None and department not in DEPARTMENTS:
        raise ValueError(f"unknown department {department!r}")
    if department is not None and refer_to is not None:
        raise ValueError("a referral has no department: 'department' must be null")
    urgent = record.get("urgent")
    if not isinstance(urgent, bool):
        raise ValueError("'urgent' must be true or false")
    return Example(text=text, department=department, urgent=urgent, refer_to=refer_to)
