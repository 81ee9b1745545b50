"""GeoReport v2 endpoints: discovery, services, service definitions, requests (GET, POST),
one request, tokens; each in .json and .xml. A thin door: the rules are in
core.integrations.open311."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Controller, Request, Response, get, post, route
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_409_CONFLICT,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from api.errors import GENERIC_MESSAGES, language
from api.open311.formats import JSON, XML, error_list, respond, split_format
from core.errors import DomainError, Forbidden, InvalidInput, NotFound
from core.integrations import open311
from core.integrations.models import Open311Submission
from i18n import N_, gettext

logger = logging.getLogger("ingatkan.open311")

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_.-]{1,64})\]$")
_STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidInput, HTTP_400_BAD_REQUEST),
    (Forbidden, HTTP_403_FORBIDDEN),
    (NotFound, HTTP_404_NOT_FOUND),
)
_DOCUMENTS = [
    f"/{name}.{fmt}" for name in ("discovery", "services", "requests") for fmt in (JSON, XML)
]


def _format_of(request: Request[Any, Any, Any]) -> str:
    return XML if request.url.path.lower().endswith(".xml") else JSON


def on_domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[bytes]:
    status = next(
        (code for kind, code in _STATUS_BY_ERROR if isinstance(error, kind)), HTTP_409_CONFLICT
    )
    return error_list(status, error.message(language(request)), fmt=_format_of(request))


def on_http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[bytes]:
    lang = language(request)
    status = error.status_code
    detail = gettext(lang, GENERIC_MESSAGES.get(status, GENERIC_MESSAGES[HTTP_400_BAD_REQUEST]))
    return error_list(status, detail, fmt=_format_of(request))


def on_unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[bytes]:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    status = HTTP_500_INTERNAL_SERVER_ERROR
    return error_list(
        status, gettext(language(request), GENERIC_MESSAGES[status]), fmt=_format_of(request)
    )


def _field(form: FormMultiDict, name: str) -> str | None:
    value = form.get(name)
    if value is None:
        return None
    if isinstance(value, UploadFile) or not isinstance(value, str):
        raise InvalidInput(
            N_("%(name)s harus berupa teks, bukan berkas."),
            name=name,
            field=name,
        )
    text: str = value  # the form's values are typed Any
    return text


def _attributes(form: FormMultiDict) -> tuple[tuple[str, str], ...]:
    attributes: list[tuple[str, str]] = []
    for key, value in form.multi_items():
        if not key.startswith("attribute"):
            continue
        match = _ATTRIBUTE.match(key)
        if match is None or not isinstance(value, str):
            raise InvalidInput(
                N_("%(key)s tidak dikenal; gunakan attribute[kode]=nilai."),
                key=key,
                field=key,
            )
        attributes.append((match.group(1), value))
    return tuple(attributes)


async def _form(request: Request[Any, Any, Any]) -> FormMultiDict:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in _FORM_TYPES:
        raise InvalidInput(
            N_("Kirim isian sebagai application/x-www-form-urlencoded."),
            field="content-type",
        )
    return await request.form()


class Open311Controller(Controller):
    path = "/open311/v2"
    tags = ["open311"]
    exception_handlers = {
        DomainError: on_domain_error,
        HTTPException: on_http_error,
        Exception: on_unexpected_error,
    }

    @get(["/discovery.json", "/discovery.xml"], summary="Where this endpoint is and what it speaks")
    async def discovery(
        self, request: Request[Any, Any, Any], jurisdiction_id: FromQuery[str | None] = None
    ) -> Response[bytes]:
        open311.check_jurisdiction(jurisdiction_id)
        url = str(request.base_url).rstrip("/") + self.path
        content = open311.discovery(endpoint_url=url)
        return respond(content, root="discovery", fmt=_format_of(request))

    @get(["/services.json", "/services.xml"], summary="Service types: one per department")
    async def services(
        self, request: Request[Any, Any, Any], jurisdiction_id: FromQuery[str | None] = None
    ) -> Response[bytes]:
        open311.check_jurisdiction(jurisdiction_id)
        content = await open311.list_services(language=language(request))
        return respond(content, root="services", fmt=_format_of(request))

    @get(["/requests.json", "/requests.xml"], summary="Service requests, newest first")
    async def search(
        self,
        request: Request[Any, Any, Any],
        jurisdiction_id: FromQuery[str | None] = None,
        service_request_id: FromQuery[str | None] = None,
        service_code: FromQuery[str | None] = None,
        start_date: FromQuery[str | None] = None,
        end_date: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        """At most 1000, over at most 90 days (the last 90 when no dates are given); several
        comma-separated service_request_id override the other filters."""
        open311.check_jurisdiction(jurisdiction_id)
        query = open311.parse_query(
            service_request_id=service_request_id,
            service_code=service_code,
            start_date=start_date,
            end_date=end_date,
            status=status,
        )
        found = await open311.find_requests(query, language=language(request))
        return respond(found, root="service_requests", fmt=_format_of(request))

    @post(
        ["/requests.json", "/requests.xml"],
        status_code=HTTP_200_OK,
        summary="Create a service request (form-encoded, with an api_key)",
    )
    async def create(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        form = await _form(request)
        open311.check_jurisdiction(_field(form, "jurisdiction_id"))
        submission = Open311Submission(
            service_code=_field(form, "service_code"),
            description=_field(form, "description"),
            lat=_field(form, "lat"),
            long=_field(form, "long"),
            address_string=_field(form, "address_string"),
            address_id=_field(form, "address_id"),
            email=_field(form, "email"),
            first_name=_field(form, "first_name"),
            last_name=_field(form, "last_name"),
            phone=_field(form, "phone"),
            media_url=_field(form, "media_url"),
            attributes=_attributes(form),
        )
        created = await open311.submit_request(
            api_key=_field(form, "api_key") or request.query_params.get("api_key"),
            submission=submission,
            router=request.app.state.router,
            language=language(request),
        )
        return respond([created], root="service_requests", fmt=_format_of(request))

    @get("/services/{name:str}", summary="A service's definition: its attributes")
    async def definition(
        self,
        request: Request[Any, Any, Any],
        name: FromPath[str],
        jurisdiction_id: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        code, fmt = split_format(name)
        open311.check_jurisdiction(jurisdiction_id)
        content = await open311.service_definition(service_code=code, language=language(request))
        return respond(content, root="service_definition", fmt=fmt)

    @get("/requests/{name:str}", summary="One service request")
    async def one(
        self,
        request: Request[Any, Any, Any],
        name: FromPath[str],
        jurisdiction_id: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        service_request_id, fmt = split_format(name)
        open311.check_jurisdiction(jurisdiction_id)
        found = await open311.get_request(
            service_request_id=service_request_id, language=language(request)
        )
        return respond([found], root="service_requests", fmt=fmt)

    @get("/tokens/{name:str}", summary="The service request id behind a token")
    async def token(
        self, name: FromPath[str], jurisdiction_id: FromQuery[str | None] = None
    ) -> Response[bytes]:
        token, fmt = split_format(name)
        open311.check_jurisdiction(jurisdiction_id)
        return respond([await open311.resolve_token(token=token)], root="service_requests", fmt=fmt)

    @route(_DOCUMENTS, http_method=["PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def not_allowed(self) -> None:
        raise HTTPException(status_code=HTTP_405_METHOD_NOT_ALLOWED)

    @route(
        "/{rest:path}",
        http_method=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    async def elsewhere(self, request: Request[Any, Any, Any]) -> None:
        """Anything else under /open311/v2 is answered with the standard's error list too."""
        if request.method == "GET":
            raise NotFound(
                N_("Tidak ada sumber daya GeoReport v2 di alamat ini."),
            )
        raise HTTPException(status_code=HTTP_405_METHOD_NOT_ALLOWED)
