"""Server-rendered pages, one module per audience, and their static files."""

from pathlib import Path

from litestar import Router, get
from litestar.response import File
from litestar.static_files import create_static_files_router

from api.pages.account import AccountPages
from api.pages.admin import AdminPages
from api.pages.head import HeadPages
from api.pages.integrations import IntegrationPages
from api.pages.leadership import LeadershipPages
from api.pages.login import LoginPages
from api.pages.officer import OfficerPages
from api.pages.place import MapPages, OutlinePages
from api.pages.policy_reviews import LeadershipPolicyPages, PolicyPages
from api.pages.public import PublicPages
from api.pages.transparency import TransparencyPages
from api.pages.verifier import VerifierPages

PAGE_CONTROLLERS = (
    PublicPages,
    OutlinePages,
    MapPages,
    LoginPages,
    AccountPages,
    OfficerPages,
    VerifierPages,
    HeadPages,
    AdminPages,
    IntegrationPages,
    LeadershipPages,
    TransparencyPages,
    PolicyPages,
    LeadershipPolicyPages,
)
STATIC = Path(__file__).parent.parent / "static"


def static_files_router() -> Router:
    return create_static_files_router(path="/static", directories=[STATIC])


@get("/favicon.ico", include_in_schema=False, cache=86_400)
async def favicon() -> File:
    """Browsers ask for it on every first visit, whatever the page links."""
    return File(
        STATIC / "favicon.ico", media_type="image/x-icon", content_disposition_type="inline"
    )
