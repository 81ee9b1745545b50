"""Browser tests: the real app in its own process on this test's fresh database, driven by
Debian's Chromium through playwright. Screenshots and axe findings land in $INGATKAN_ARTEFACTS,
or in a directory under pytest's temporary directory; the run's summary says where.

Fixtures other browser tests reuse:
- `live_app`: the base URL of the running app; the test process is bound to the same
  database (through `db`), so a test can create staff and check rows directly;
- `page`: a fresh Chromium page;
- `staff`: creates a staff account, returns its username (password STAFF_PASSWORD);
- `sign_in(page, username)`: signs in through the login page;
- `screenshot(page, name)`: keeps a full-page screenshot as a test artifact;
- `audit(page, path, name)`: axe-core on the page at 1366 px and 390 px, failing on a
  serious or critical violation, with a screenshot of each (tests/browser/audit.py).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright

from core.staff.actors import Actor
from core.staff.users import create_user
from tests.browser import app_server
from tests.browser.audit import artefacts_root, audit_page
from tests.conftest import run_directory
from tests.helpers import RUN_SUMMARY
from tests.ports import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STAFF_PASSWORD = "kata-sandi-uji-123"
STARTUP_SECONDS = 120  # a guard against a hung start, not a measure: CI machines can be busy


@pytest.fixture
def live_app(db: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The app in its own process on this test's database (tests/browser/app_server.py);
    yields its base URL. A test module's APP_NOW (an aware datetime) pins the app's clock."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    port = free_port()
    output = tmp_path / "app.log"
    process = app_server.start(
        database_url=db, port=port, now=getattr(request.module, "APP_NOW", None), output=str(output)
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if not process.is_alive() or time.monotonic() > deadline:
                raise AssertionError(f"the app did not come up:\n{output.read_text()}")
            time.sleep(0.05)
        yield base
    finally:
        process.kill()
        process.join(timeout=10)


@pytest.fixture
async def page(live_app: str) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        context = await browser.new_context(
            base_url=live_app, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        try:
            yield await context.new_page()
        finally:
            await context.close()
            await browser.close()


@pytest.fixture
def staff() -> Callable[..., Awaitable[str]]:
    async def make(username: str, role: str, department: str | None = None) -> str:
        await create_user(
            username=username,
            full_name=username.title(),
            password=STAFF_PASSWORD,
            role=role,
            department_code=department,
            actor=Actor.system(),
        )
        return username

    return make


async def sign_in(page: Page, username: str, password: str = STAFF_PASSWORD) -> None:
    await page.goto("/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", password)
    await page.click("form[action='/login'] button")
    await page.wait_for_load_state()


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this run keeps screenshots and axe findings: one folder for all workers."""
    root = artefacts_root(run_directory(tmp_path_factory) / "artefacts")
    RUN_SUMMARY["browser screenshots and axe findings"] = str(root)
    return root


@pytest.fixture
def screenshot(database_url: str, artefacts: Path) -> Callable[[Page, str], Awaitable[None]]:
    engine = "sqlite" if database_url.startswith("sqlite") else "postgresql"

    async def take(page: Page, name: str) -> None:
        await page.screenshot(path=str(artefacts / f"{name}-{engine}.png"), full_page=True)

    return take


@pytest.fixture
def audit(database_url: str, artefacts: Path) -> Callable[[Page, str, str], Awaitable[None]]:
    """`await audit(page, path, name)`: see tests/browser/audit.py."""
    engine = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    into = artefacts / engine
    into.mkdir(exist_ok=True)

    async def check(page: Page, path: str, name: str) -> None:
        await audit_page(page, path, name, into=into)

    return check
