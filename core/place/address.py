"""The kecamatan an address names, for a report without a point (and, when it has no address
either, the kecamatan its text names: "Saluran mampet di Sukun").

An address names its kecamatan ("Kec. Sukun", "Lowokwaru") or a kelurahan of one ("Jl. MT
Haryono, Dinoyo"). Spelling varies ("Tasikmadu", "Tasik Madu", "oro-oro dowo"), so names are
compared as their letters. When an address names more than one kecamatan, a name written after
"kec."/"kecamatan" decides; otherwise the address tells none.
"""

from __future__ import annotations

import re

from core.place.boundaries import KECAMATAN, kecamatan_at, kelurahan

_WORD = re.compile(r"[a-z]+")
_MARKERS = {"kec", "kecamatan"}
_LONGEST_NAME_WORDS = 3


def _letters(name: str) -> str:
    return "".join(_WORD.findall(name.lower()))


def _mentions(address: str) -> list[tuple[str, bool]]:
    """The kecamatan each name in the address points to, and whether it follows a marker."""
    words = _WORD.findall(address.lower())
    names = {_letters(name): name for name in KECAMATAN}
    villages = {_letters(name): district for name, district in kelurahan().items()}
    found: list[tuple[str, bool]] = []
    for start in range(len(words)):
        marked = start > 0 and words[start - 1] in _MARKERS
        for size in range(1, _LONGEST_NAME_WORDS + 1):
            joined = "".join(words[start : start + size])
            if joined in names:
                found.append((names[joined], marked))
            elif joined in villages:
                found.append((villages[joined], False))
    return found


def kecamatan_in_address(address: str | None) -> str | None:
    if not address:
        return None
    mentions = _mentions(address)
    marked = {name for name, is_marked in mentions if is_marked}
    if len(marked) == 1:
        return marked.pop()
    named = {name for name, _ in mentions}
    return named.pop() if len(named) == 1 else None


def report_kecamatan(
    *,
    latitude: float | None,
    longitude: float | None,
    address: str | None,
    text: str | None = None,
) -> str | None:
    """A report's kecamatan: from its point where it has one, from its address otherwise, and
    from its text when the address tells none."""
    if latitude is not None and longitude is not None:
        return kecamatan_at(latitude, longitude)
    return kecamatan_in_address(address) or kecamatan_in_address(text)
