import asyncio
from pathlib import Path

import pytest

from classifier import Example, RoutingModel, load_split
from core.routing.registry import current_router
from tests.conftest import bound


@pytest.fixture(scope="session")
def train_examples() -> list[Example]:
    return load_split("train")


@pytest.fixture(scope="session")
def heldout_examples() -> list[Example]:
    return load_split("heldout")


@pytest.fixture(scope="session")
def model(sqlite_template: Path) -> RoutingModel:
    """The model the product trains from the corpus on its first start, as it stored it: the
    run trains it once, for the databases' template (tests/conftest.py)."""

    async def stored() -> RoutingModel:
        async with bound(f"sqlite:///{sqlite_template}"):
            router = await current_router()
        assert router is not None
        return router.model

    return asyncio.run(stored())
