import pytest

from classifier import Example, RoutingModel, load_split, train


@pytest.fixture(scope="session")
def train_examples() -> list[Example]:
    return load_split("train")


@pytest.fixture(scope="session")
def heldout_examples() -> list[Example]:
    return load_split("heldout")


@pytest.fixture(scope="session")
def model(train_examples: list[Example], heldout_examples: list[Example]) -> RoutingModel:
    return train(train_examples, heldout=heldout_examples)
