"""Page forms, read into typed structs: a handler takes `data: Annotated[SomeForm, FORM]`.

How a browser sends a form decides how the structs are declared:
- a blank field is never passed on (the parser drops blank values), so a text field defaults
  to "" and "" still means "left empty";
- `_csrf_token` was already checked by the CSRF middleware; here it is an unknown field, and
  unknown fields are ignored;
- a field sent once is text, a field sent several times a list: checkboxes that share a name
  are `Several`, and a repeated single field is refused.
A form that carries files (`enctype="multipart/form-data"`) is read the same way: its route
sets `before_request=read_form`, so the form is parsed by its own encoding before the struct
is filled (Litestar's form extractor takes the parsed form when there is one), and the
handler takes the files with `uploaded_files`; the same route still takes a form without
files, URL-encoded.
Numbers, dates and checkboxes stay text and are read by the page, as core/input_rules.py
says (digits 0-9 only, "on"), so their messages stay the ones their form shows. A form the
struct refuses (a required field missing, a value of the wrong shape) becomes a page naming
the field (api/pages/base.py), never a JSON error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, get_args, get_origin, get_type_hints

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core.errors import InvalidInput
from i18n import N_

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
Several = str | list[str]
_CHECKED = {"on", "1", "true", "yes"}


@dataclass(frozen=True)
class Cut:
    """Text longer than `length` is cut, not refused: far past the limit core enforces, so
    core still names the field that is too long, and nothing huge is echoed or hashed."""

    length: int


@cache
def _cuts(form: type[msgspec.Struct]) -> dict[str, int]:
    return {
        name: meta.length
        for name, hint in get_type_hints(form, include_extras=True).items()
        if get_origin(hint) is Annotated
        for meta in get_args(hint)[1:]
        if isinstance(meta, Cut)
    }


class PageForm(msgspec.Struct, forbid_unknown_fields=False):
    """Base of every page form: ignores fields it does not declare (`_csrf_token`), and
    applies the `Cut`s of those it does."""

    def __post_init__(self) -> None:
        for name, length in _cuts(type(self)).items():
            setattr(self, name, getattr(self, name)[:length])


async def read_form(request: Request[Any, Any, Any]) -> None:
    """A route's `before_request` for a form that may carry files: parse it by its encoding."""
    await request.form()


async def uploaded_files(
    request: Request[Any, Any, Any], name: str, *, max_bytes: int
) -> list[bytes]:
    """The files sent as `name`, each read to at most `max_bytes` + 1 bytes (enough to know
    one is too big); a file field left empty is skipped."""
    form = await request.form()
    return [
        await item.read(max_bytes + 1)
        for item in form.getall(name, [])
        if isinstance(item, UploadFile) and item.filename
    ]


def checked(value: str) -> bool:
    """A ticked checkbox ("on" from a browser)."""
    return value.lower() in _CHECKED


def require_confirmation(value: str) -> None:
    """A final action (rejecting, referring, publishing a decision, deactivating an account)
    goes through only with its confirmation box ticked (api/templates/_confirm.html): the
    browser asks for it without JavaScript, and a form sent without it is refused here."""
    if not checked(value):
        raise InvalidInput(
            N_("Centang konfirmasi dulu: tindakan ini tidak dapat dibatalkan."), field="confirm"
        )


def several(value: Several) -> list[str]:
    return [value] if isinstance(value, str) else value


class PolicyForm(PageForm):
    """A new policy (the admin's page and the head's read the same form), or, without code and
    effective_from, a policy's new wording; for an admin also its review threshold and
    window, whole numbers as text."""

    department: Annotated[str, Cut(80)] = ""
    code: Annotated[str, Cut(80)] = ""
    title: Annotated[str, Cut(600)] = ""
    summary: Annotated[str, Cut(8000)] = ""
    legal_url: Annotated[str, Cut(1000)] = ""
    effective_from: Annotated[str, Cut(40)] = ""
    review_threshold: Annotated[str, Cut(20)] = ""
    review_window_days: Annotated[str, Cut(20)] = ""
