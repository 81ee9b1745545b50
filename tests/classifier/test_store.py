import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from classifier import Example, RoutingModel, UntrustedModelError, dumps, loads
from classifier.store import ALLOWED_TYPES


class ForeignRegression(LogisticRegression):
    """A class skops has never heard of: loading it could run its code."""


def _texts(examples: list[Example]) -> list[str]:
    return [example.text for example in examples]


def test_round_trip_predicts_identically(
    model: RoutingModel, heldout_examples: list[Example]
) -> None:
    loaded = loads(dumps(model))
    texts = _texts(heldout_examples)
    assert loaded.predict(texts) == model.predict(texts)
    assert (loaded.threshold, loaded.urgency_threshold) == (
        model.threshold,
        model.urgency_threshold,
    )
    assert (loaded.trained_at, loaded.n_examples) == (model.trained_at, model.n_examples)


def test_stored_form_holds_only_allowed_types(model: RoutingModel) -> None:
    # If a scikit-learn upgrade changes the types a model contains, this names them.
    assert set(sio.get_untrusted_types(data=dumps(model))) <= ALLOWED_TYPES


def test_foreign_type_is_refused_unless_trusted(
    model: RoutingModel, heldout_examples: list[Example]
) -> None:
    features, logistic = model.urgency_pipeline.steps
    foreign = ForeignRegression()
    foreign.__dict__.update(logistic[1].__dict__)
    tampered = RoutingModel(
        department_pipeline=model.department_pipeline,
        urgency_pipeline=Pipeline([features, ("classifier", foreign)]),
        threshold=model.threshold,
        urgency_threshold=model.urgency_threshold,
        trained_at=model.trained_at,
        n_examples=model.n_examples,
    )
    data = dumps(tampered)
    name = f"{ForeignRegression.__module__}.{ForeignRegression.__qualname__}"

    with pytest.raises(UntrustedModelError) as refused:
        loads(data)
    assert refused.value.types == (name,)

    accepted = loads(data, trusted=[name])
    texts = _texts(heldout_examples[:50])
    assert accepted.predict(texts) == model.predict(texts)


def test_not_a_model_is_refused() -> None:
    with pytest.raises(ValueError, match="routing model"):
        loads(sio.dumps({"format": 99}))
