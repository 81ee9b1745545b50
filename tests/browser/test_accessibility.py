"""axe-core on every public and staff page, on a 1366 px and a 390 px screen: no serious or
critical violation, and a screenshot of each kept (tests/browser/audit.py). A new page joins
with one line in PUBLIC or STAFF. It checks markup, not data, so it runs on one engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from playwright.async_api import Page

from core.reports import lifecycle
from tests.browser.conftest import sign_in
from tests.helpers import ADMIN, report_in

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

CODE = "{code}"  # replaced by the tracking code of a report the test makes
PUBLIC = [
    ("/", "public-home"),
    ("/lacak", "public-track-form"),
    (f"/lacak/{CODE}", "public-track"),
    ("/transparansi", "public-transparency"),
    ("/kebijakan", "public-policies"),
    ("/login", "login"),
]
# (role to sign in as, path, name)
STAFF = [
    ("officer", "/officer", "officer-queue"),
    ("officer", f"/officer/reports/{CODE}", "officer-report"),
    ("officer", "/akun", "account"),
    ("head", "/head", "head-overview"),
    ("head", "/policies", "head-policies"),
    ("verifier", "/verifier", "verifier-queue"),
    ("leadership", "/leadership", "leadership-dashboard"),
    ("leadership", "/leadership?columns=all", "leadership-dashboard-all-columns"),
    ("leadership", "/leadership/department/DPUPRPKP", "leadership-department"),
    ("leadership", "/leadership/evaluation", "leadership-evaluation"),
    ("leadership", "/leadership/policies", "leadership-policies"),
    ("admin", "/admin", "admin-users"),
    ("admin", "/admin/departments", "admin-departments"),
    ("admin", "/admin/policies", "admin-policies"),
    ("admin", "/admin/integrations", "admin-integrations"),
]


async def test_every_page_passes_axe_on_a_desktop_and_a_phone(
    live_app: str,
    page: Page,
    staff: Callable[..., Awaitable[str]],
    audit: Callable[[Page, str, str], Awaitable[None]],
) -> None:
    code = (await report_in("in_progress")).tracking_code
    waiting = await report_in("triage")
    await lifecycle.route(tracking_code=waiting.tracking_code, department_code="DLH", actor=ADMIN)
    await report_in("triage")  # one for the verifier
    found: list[str] = []  # every page's findings, not only the first page's

    async def check(path: str, name: str) -> None:
        try:
            await audit(page, path.replace(CODE, code), name)
        except AssertionError as failure:
            found.append(str(failure))

    for path, name in PUBLIC:
        await check(path, name)
    accounts = {
        "officer": await staff("petugas", "officer", "DPUPRPKP"),
        "head": await staff("kepala", "head", "DPUPRPKP"),
        "verifier": await staff("verifikator", "verifier"),
        "leadership": await staff("walikota", "leadership"),
        "admin": await staff("admin", "admin"),
    }
    signed_in = None
    for role, path, name in STAFF:
        if role != signed_in:
            await page.context.clear_cookies()
            await sign_in(page, accounts[role])
            signed_in = role
        await check(path, name)
    assert not found, "\n".join(found)
