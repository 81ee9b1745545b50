import numpy as np
import pytest

from classifier import (
    DEPARTMENTS,
    NONE_LABEL,
    Example,
    Prediction,
    RoutingModel,
    evaluate,
    normalize,
    train,
)
from classifier.model import choose_threshold


def test_routes_heldout_well(model: RoutingModel, heldout_examples: list[Example]) -> None:
    figures = evaluate(model, heldout_examples)
    assert figures.accuracy >= 0.85
    assert figures.coverage >= 0.90
    assert figures.held_back >= 0.85


@pytest.mark.parametrize(
    ("text", "department", "urgent"),
    [
        ("tolong ada kebakaran rumah di gang 3 sawojajar, apinya sudah besar", "DAMKAR", True),
        ("sampah di TPS dekat pasar belum diangkut seminggu, bau sekali", "DLH", False),
        ("air PDAM mati sejak kemarin sore di perumahan kami", "TUGU_TIRTA", False),
        ("cara bayar PBB online gimana ya min? tagihannya belum muncul", "BAPENDA", False),
    ],
)
def test_obvious_reports(model: RoutingModel, text: str, department: str, urgent: bool) -> None:
    prediction = model.predict_one(text)
    assert (prediction.department, prediction.urgent) == (department, urgent)


@pytest.mark.parametrize("text", ["halo min", "terima kasih banyak ya", "p", "selamat pagi 🙏"])
def test_chatter_is_held_back(model: RoutingModel, text: str) -> None:
    assert model.predict_one(text).department is None


def test_prediction_shape(model: RoutingModel, heldout_examples: list[Example]) -> None:
    for prediction in model.predict([example.text for example in heldout_examples]):
        codes = [code for code, _ in prediction.top]
        probabilities = [probability for _, probability in prediction.top]
        assert len(prediction.top) == 3
        assert set(codes) <= set(DEPARTMENTS)
        assert probabilities == sorted(probabilities, reverse=True)
        assert prediction.confidence == probabilities[0]
        assert prediction.department in (codes[0], None)
        if prediction.department:
            assert prediction.confidence >= model.threshold


def test_fast_scoring_matches_scikit_learn(
    model: RoutingModel, heldout_examples: list[Example]
) -> None:
    texts = [example.text for example in heldout_examples]
    normalised = [normalize(text) for text in texts]
    labels = list(model.department_pipeline.classes_)
    expected = model.department_pipeline.predict_proba(normalised)
    urgency = model.urgency_pipeline.predict_proba(normalised)[:, 1]
    for prediction, row, urgent in zip(model.predict(texts), expected, urgency, strict=True):
        for code, probability in prediction.top:
            assert probability == pytest.approx(row[labels.index(code)], abs=1e-9)
        assert prediction.urgent == (urgent >= model.urgency_threshold)
        routed = labels[int(np.argmax(row))] != NONE_LABEL
        assert (prediction.department is not None) <= routed


def test_training_is_deterministic(
    model: RoutingModel, train_examples: list[Example], heldout_examples: list[Example]
) -> None:
    texts = [example.text for example in heldout_examples]
    again = train(train_examples, heldout=heldout_examples)
    assert again.threshold == model.threshold
    assert again.predict(texts) == model.predict(texts)
    assert model.predict(texts) == model.predict(texts)


def test_progress_is_reported(heldout_examples: list[Example], train_examples: list[Example]) -> None:
    messages: list[str] = []
    train(train_examples[::5], heldout=heldout_examples, progress=messages.append)
    assert any("threshold" in message for message in messages)


def test_training_needs_actionable_heldout_and_urgent_examples(
    train_examples: list[Example],
) -> None:
    chatter = [example for example in train_examples if example.department is None]
    with pytest.raises(ValueError, match="held-out"):
        train(train_examples, heldout=chatter)
    calm = [Example(e.text, e.department, urgent=False) for e in train_examples]
    with pytest.raises(ValueError, match="urgent"):
        train(calm, heldout=train_examples[:50])


def _prediction(department: str | None, confidence: float) -> Prediction:
    return Prediction(department=department, confidence=confidence, urgent=False, top=())


def test_threshold_balances_misroutes_against_abstentions() -> None:
    examples = [Example(str(i), "DLH", urgent=False) for i in range(20)]
    examples.append(Example("chatter", None, urgent=False))
    # 18 confident and right, one unsure and wrong, one unsure and right,
    # and a chatter message routed with little confidence.
    predictions = [_prediction("DLH", 0.9)] * 18
    predictions += [_prediction("DINKES", 0.3), _prediction("DLH", 0.45)]
    predictions.append(_prediction("DLH", 0.2))
    # Raising the threshold past 0.3 drops a misroute (cost 1) for an
    # abstention (0.5); past 0.45 coverage would fall below 90 %.
    assert choose_threshold(examples, predictions) == 0.45
