"""Babel's extraction of the project's Python: the i18n API takes the language first
(`gettext(language, msgid)`), so that argument is dropped before Babel reads the message with
its usual keywords; `NP_(context, msgid)` is read as `pgettext`. Named in i18n/babel.cfg."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

_LANGUAGE_FIRST = ("gettext", "ngettext", "pgettext", "npgettext")
_AS = {"N_": "gettext", "NP_": "pgettext"}


def python(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Any,
) -> Iterator[tuple[int, str, Any, Any]]:
    del keywords  # the project's own, below
    ours: dict[str, Any] = {name: None for name in (*_LANGUAGE_FIRST, *_AS)}
    found: Iterator[tuple[int, Any, Any, Any]] = extract_python(
        fileobj, ours, comment_tags, options
    )
    for lineno, funcname, messages, comments in found:
        if funcname in _LANGUAGE_FIRST:
            if not isinstance(messages, tuple) or len(messages) < 2:
                continue  # a method such as Translations.gettext(msgid), not the i18n API
            yield lineno, funcname, messages[1:], comments
        else:
            yield lineno, _AS[funcname], messages, comments
