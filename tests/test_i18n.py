"""The catalogue: every text the source marks has its English, the English holds nothing the
source no longer uses, and a translation fills the same placeholders as its Indonesian."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import i18n
from core.errors import IllegalTransition
from core.reports.lifecycle import ACTION_DONE_NAMES, STATUS_NAMES, TRANSITIONS, Status

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_PO = ROOT / "i18n" / "locale" / "en" / "LC_MESSAGES" / "messages.po"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")

Key = tuple[str | None, str]


def _extracted() -> set[Key]:
    """What `pybabel extract -F i18n/babel.cfg` finds, by the same mapping."""
    with (ROOT / "i18n" / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    found: set[Key] = set()
    for _, _, message, _, context in extract_from_dir(
        str(ROOT), method_map, options_map=options_map
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def _english() -> dict[Key, tuple[str, ...]]:
    with ENGLISH_PO.open("rb") as po:
        catalog = read_po(po, locale="en")
    # Kept "#~" entries are texts the source dropped, only commented out.
    assert not catalog.obsolete, "obsolete entries: pybabel update --ignore-obsolete"
    return {
        (message.context, message.id if isinstance(message.id, str) else message.id[0]): (
            (message.string,) if isinstance(message.string, str) else tuple(message.string)
        )
        for message in catalog
        if message.id and not message.fuzzy  # a fuzzy guess is not compiled: untranslated
    }


@pytest.fixture(scope="module")
def catalogue() -> tuple[set[Key], dict[Key, tuple[str, ...]]]:
    return _extracted(), _english()


def test_every_text_in_the_source_has_its_english(
    catalogue: tuple[set[Key], dict[Key, tuple[str, ...]]],
) -> None:
    extracted, english = catalogue
    assert len(extracted) > 500  # the extraction found the project's texts, not nothing
    missing = sorted(key for key in extracted if not all(english.get(key, ("",))))
    assert not missing, "no English in en/messages.po (pybabel update, then translate)"


def test_the_english_holds_no_text_the_source_dropped(
    catalogue: tuple[set[Key], dict[Key, tuple[str, ...]]],
) -> None:
    extracted, english = catalogue
    assert not sorted(english.keys() - extracted), "obsolete entries: run pybabel update"


def test_a_translation_fills_the_placeholders_of_its_text(
    catalogue: tuple[set[Key], dict[Key, tuple[str, ...]]],
) -> None:
    _, english = catalogue
    differing = [
        (msgid, translation)
        for (_, msgid), translations in english.items()
        for translation in translations
        if set(_PLACEHOLDER.findall(msgid)) != set(_PLACEHOLDER.findall(translation))
    ]
    assert not differing


def test_a_refused_transition_reads_properly_in_both_languages() -> None:
    assert ACTION_DONE_NAMES.keys() == TRANSITIONS.keys()
    refused = IllegalTransition(
        action="reopen",
        status=Status.CLOSED,
        action_name=ACTION_DONE_NAMES["reopen"],
        status_name=STATUS_NAMES[Status.CLOSED],
    )
    assert refused.message("id") == "Laporan berstatus 'Ditutup' tidak dapat dibuka kembali."
    assert refused.message("en") == "A report in status 'Closed' cannot be reopened."
    marked = IllegalTransition(
        action="mark_field_work",
        status=Status.TRIAGE,
        action_name=ACTION_DONE_NAMES["mark_field_work"],
        status_name=STATUS_NAMES[Status.TRIAGE],
    )
    assert marked.message("en") == (
        "A report in status 'Awaiting triage' cannot be marked as needing field work."
    )


def test_numbers_and_days_in_the_languages_own_formats() -> None:
    assert i18n.format_number("id", 1234) == "1.234"
    assert i18n.format_number("en", 1234) == "1,234"
    assert i18n.format_number("id", 12.5, decimals=1) == "12,5"
    assert i18n.format_date("id", date(2026, 12, 3)) == "3 Desember 2026"
    assert i18n.format_date("en", date(2026, 12, 3)) == "December 3, 2026"


def test_a_text_given_as_a_value_reads_in_the_language_it_fills() -> None:
    filled = "%(what)s wajib diisi, minimal %(note_min)s karakter."
    what = i18n.Text("Alasan penolakan")
    assert i18n.gettext("id", filled, what=what, note_min=3).startswith("Alasan penolakan wajib")
    assert i18n.gettext("en", filled, what=what, note_min=3).startswith("Reason for rejection is")
