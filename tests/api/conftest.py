from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from config.settings import Settings
from tests.apps import app_for


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[AsyncTestClient]:
    """The whole app on this test's database, rate limits off."""
    app = await app_for(Settings(database_url=database_url, rate_limit=None))
    async with AsyncTestClient(app=app) as test_client:
        yield test_client
