"""Text normalisation shared by training and prediction.

It runs outside the scikit-learn pipeline so that the stored model holds only
stock scikit-learn objects (which skops loads without trusting our code).
"""

import re
import unicodedata

from classifier.lexicon import WORDS

URL_PLACEHOLDER = "__url__"
EMAIL_PLACEHOLDER = "__email__"
PHONE_PLACEHOLDER = "__phone__"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|id|net|org|info|ly|me|io)(?:/\S*)?(?![\w.])"
)
# Indonesian mobile numbers (08.., +62 8.., 62 8..) and Malang landlines (0341).
# Deliberately narrow so that NIK, KK numbers, dates and amounts survive.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+?62[\s.-]?|0)8\d{1,2}(?:[\s.-]?\d{3,4}){2,3}(?!\w)"
    r"|(?<!\w)\(?0341\)?[\s.-]?\d{3}[\s.-]?\d{3,4}(?!\w)"
)
# English contractions would otherwise lose their negation to the tokenizer.
_CANT = re.compile(r"\bcan[’']t\b")
_WONT = re.compile(r"\bwon[’']t\b")
_NT = re.compile(r"n[’']t\b")
# Chat reduplication: "anak2" is "anak anak".
_REDUPLICATION = re.compile(r"\b([^\W\d_]{3,})2\b")
_NON_WORD = re.compile(r"\W+")
_LETTER_RUN = re.compile(r"([^\W\d_])\1{2,}")

# Words whose double letters are genuine, so "maaaaf" becomes "maaf", not "maf".
_DOUBLE_LETTER_WORDS = frozenset(
    {"maaf", "saat", "taat", "manfaat", "allah", "flood", "tree", "street", "need", "still"}
)


def normalize(text: str) -> str:
    """Return the canonical form of a citizen message used for features."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _EMAIL.sub(f" {EMAIL_PLACEHOLDER} ", text)
    text = _URL.sub(f" {URL_PLACEHOLDER} ", text)
    text = _PHONE.sub(f" {PHONE_PLACEHOLDER} ", text)
    text = _CANT.sub("can not", text)
    text = _WONT.sub("will not", text)
    text = _NT.sub(" not", text)
    text = _REDUPLICATION.sub(r"\1 \1", text)
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(WORDS.get(word, word) for word in map(_collapse_repeats, words))


def _collapse_repeats(word: str) -> str:
    if not _LETTER_RUN.search(word):
        return word
    doubled = _LETTER_RUN.sub(r"\1\1", word)
    if doubled in _DOUBLE_LETTER_WORDS:
        return doubled
    return _LETTER_RUN.sub(r"\1", word)
