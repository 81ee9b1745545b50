"""Words that signal danger to life or property, in normalised text.

The urgency classifier learns from ~150 urgent examples; this list carries
the brief's non-negotiables (fire, gas, collapse, flood, violence, people
trapped or hurt) in Indonesian, Javanese and English, so that a message using
them needs only half the usual urgency probability to be flagged. It is a
recall aid, never a verdict on its own: "apinya sudah padam" mentions fire.
"""

import re

DANGER_TERMS: tuple[str, ...] = (
    # fire
    "kebakaran", "terbakar", "kobong", "kobongan", "api", "fire", "burning", "flames",
    # gas
    "gas bocor", "bocor gas", "bau gas", "ambune gas", "gas leak", "gas smell", "mendesis",
    # collapse
    "roboh", "ambruk", "ambrol", "runtuh", "ambles", "amblas", "longsor", "collapse",
    "collapsed", "collapsing", "landslide", "caving",
    # water
    "banjir", "meluap", "jebol", "hanyut", "terseret", "keseret", "tenggelam", "kelelep",
    "kecemplung", "flood", "flooding", "drowning", "swept",
    # violence
    "tawuran", "bacok", "dibacok", "celurit", "senjata tajam", "dikeroyok", "digebuki",
    "dipukuli", "nggepuki", "ditusuk", "berdarah", "getih", "beating", "stabbed",
    "attacking", "fight",
    # people trapped, hurt or in danger
    "terjebak", "terjepit", "terkunci", "pingsan", "kejang", "pendarahan", "sesak",
    "kritis", "kesetrum", "tersengat", "trapped", "stuck", "unconscious", "bleeding",
    "ular", "ulo", "snake",
)  # fmt: skip

_DANGER = re.compile(
    r"\b(?:" + "|".join(re.escape(t) for t in sorted(DANGER_TERMS, key=len, reverse=True)) + r")\b"
)


def mentions_danger(normalised: str) -> bool:
    return _DANGER.search(normalised) is not None
