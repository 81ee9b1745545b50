import json
from collections.abc import Sequence
from dataclasses import replace

import pytest

from classifier import (
    Evaluation,
    Example,
    Prediction,
    RoutingModel,
    evaluate,
    is_not_worse,
    train,
)


class _Canned:
    """Stands in for a model whose answers are fixed in advance."""

    def __init__(self, answers: dict[str, tuple[str | None, bool]]) -> None:
        self._answers = answers

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [
            Prediction(department=department, confidence=0.9, urgent=urgent, top=())
            for department, urgent in (self._answers[text] for text in texts)
        ]


EXAMPLES = [
    Example("1", "DLH", urgent=False),
    Example("2", "DLH", urgent=False),
    Example("3", "DISHUB", urgent=True),
    Example("4", "DISHUB", urgent=False),
    Example("5", "DAMKAR", urgent=True),
    Example("6", None, urgent=False),
    Example("7", None, urgent=False),
]
ANSWERS = {
    "1": ("DLH", False),  # right
    "2": ("DISHUB", False),  # misrouted
    "3": ("DISHUB", True),  # right, urgency caught
    "4": (None, False),  # abstained
    "5": ("DAMKAR", False),  # right, urgency missed
    "6": (None, False),  # held back
    "7": ("DLH", True),  # chatter routed, false alarm
}


@pytest.fixture
def canned() -> Evaluation:
    return evaluate(_Canned(ANSWERS), EXAMPLES)  # type: ignore[arg-type]


def test_headline_figures(canned: Evaluation) -> None:
    assert canned.n == 7
    assert canned.n_actionable == 5
    assert canned.accuracy == pytest.approx(3 / 5)
    assert canned.coverage == pytest.approx(4 / 5)
    assert canned.routed_accuracy == pytest.approx(3 / 4)
    assert canned.held_back == pytest.approx(1 / 2)
    assert canned.urgent_recall == pytest.approx(1 / 2)
    assert canned.urgent_precision == pytest.approx(1 / 2)


def test_department_figures(canned: Evaluation) -> None:
    assert canned.per_department == {
        "DAMKAR": (1.0, 1.0, 1),
        "DISHUB": (0.5, 0.5, 2),
        "DLH": (1.0, 0.5, 2),
    }
    assert canned.macro_f1 == pytest.approx((1.0 + 0.5 + 2 / 3) / 3)
    assert canned.confusion_pairs == [("DLH", "DISHUB", 1)]


def test_dict_and_report(canned: Evaluation) -> None:
    data = canned.as_dict()
    assert data["per_department"]["DISHUB"] == {"precision": 0.5, "recall": 0.5, "support": 2}
    assert data["confusion_pairs"] == [{"true": "DLH", "predicted": "DISHUB", "count": 1}]
    report = canned.render()
    assert report.index("accuracy") < report.index("DAMKAR") < report.index("DLH -> DISHUB")


def test_promotion_rule(canned: Evaluation) -> None:
    good = replace(canned, accuracy=0.93, held_back=0.92, coverage=0.95)
    assert is_not_worse(good, good)
    assert is_not_worse(replace(good, accuracy=0.926), good)
    assert not is_not_worse(replace(good, accuracy=0.92), good)
    assert not is_not_worse(replace(good, held_back=0.90), good)
    assert is_not_worse(replace(good, coverage=0.91), good)
    assert not is_not_worse(replace(good, coverage=0.85), good)
    low = replace(good, coverage=0.85)
    assert is_not_worse(low, low)


def test_model_trained_on_a_tenth_is_not_promoted(
    model: RoutingModel, train_examples: list[Example], heldout_examples: list[Example]
) -> None:
    small = train(train_examples[::10], heldout=heldout_examples)
    current = evaluate(model, heldout_examples)
    assert not is_not_worse(evaluate(small, heldout_examples), current)
    assert is_not_worse(current, current)


def test_chatter_only_set_is_reported_without_errors() -> None:
    chatter = [Example("6", None, urgent=False), Example("7", None, urgent=False)]
    figures = evaluate(_Canned(ANSWERS), chatter)  # type: ignore[arg-type]
    assert (figures.n_actionable, figures.accuracy, figures.macro_f1) == (0, 0.0, 0.0)
    assert figures.held_back == 0.5
    assert figures.per_department == {}  # department figures cover actionable examples
    assert json.loads(json.dumps(figures.as_dict()))["held_back"] == 0.5
    assert "held back" in figures.render()


def test_referral_and_false_alarm_figures() -> None:
    examples = [
        Example("a", None, urgent=False, refer_to="PLN"),
        Example("b", None, urgent=True, refer_to="POLRESTA"),
        Example("c", "DLH", urgent=False),
        Example("d", None, urgent=False),
    ]
    answers = {  # text: (department, refer_to, urgent)
        "a": (None, "PLN", False),  # referred right
        "b": ("SATPOLPP", None, True),  # the police's matter routed to the city
        "c": (None, "PLN", True),  # the city's matter referred out, and a false alarm
        "d": (None, None, False),  # held back
    }

    class _Referring:
        def predict(self, texts: Sequence[str]) -> list[Prediction]:
            return [
                Prediction(department=d, refer_to=r, confidence=0.9, urgent=u, top=())
                for d, r, u in (answers[text] for text in texts)
            ]

    figures = evaluate(_Referring(), examples)  # type: ignore[arg-type]
    assert (figures.n_referrals, figures.referral_accuracy) == (2, 0.5)
    assert figures.referral_precision == 0.5  # two referrals given, one right
    assert figures.urgent_recall == 1.0 and figures.urgent_false_alarms == pytest.approx(1 / 3)
    assert (figures.n_actionable, figures.accuracy, figures.held_back) == (1, 0.0, 1.0)
    assert figures.confusion_pairs == [("DLH", "refer:PLN", 1)]
    data = json.loads(json.dumps(figures.as_dict()))
    assert data["referral_accuracy"] == 0.5 and data["urgent_false_alarms"] == pytest.approx(1 / 3)
