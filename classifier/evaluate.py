"""Evaluation of a routing model and the rule for promoting a new one."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from classifier.corpus import Example
from classifier.model import MIN_COVERAGE, REFER_PREFIX, RoutingModel

# Stands in for a null answer so that abstentions count as wrong in the
# per-department figures without being a department of their own.
_ABSTAINED = "(none)"
_TOP_CONFUSIONS = 10


@dataclass
class Evaluation:
    """Figures of one model on one labelled set.

    Department figures are over the examples of a department (abstentions and
    referrals count as wrong); referral figures over the examples of an outside
    authority (`referral_accuracy`: the right one named) and over the referrals
    given (`referral_precision`); `held_back` is over non-actionable ones (neither
    a department nor a referral given); urgency figures are over all examples
    (`urgent_false_alarms`: the share of calm messages flagged urgent).
    """

    n: int
    n_actionable: int
    accuracy: float
    macro_f1: float
    per_department: dict[str, tuple[float, float, int]]
    confusion_pairs: list[tuple[str, str, int]]
    coverage: float
    routed_accuracy: float
    held_back: float
    urgent_recall: float
    urgent_precision: float
    urgent_false_alarms: float = 0.0
    n_referrals: int = 0
    referral_accuracy: float = 0.0
    referral_precision: float = 0.0

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["per_department"] = {
            code: {"precision": precision, "recall": recall, "support": support}
            for code, (precision, recall, support) in self.per_department.items()
        }
        data["confusion_pairs"] = [
            {"true": true, "predicted": predicted, "count": count}
            for true, predicted, count in self.confusion_pairs
        ]
        return data

    def render(self) -> str:
        n_other = self.n - self.n_actionable
        lines = [
            f"examples            {self.n} ({self.n_actionable} actionable, {n_other} not)",
            f"accuracy            {self.accuracy:.3f}  (actionable, abstentions wrong)",
            f"coverage            {self.coverage:.3f}  (actionable routed)",
            f"routed accuracy     {self.routed_accuracy:.3f}",
            f"held back           {self.held_back:.3f}  (non-actionable answered null)",
            f"macro F1            {self.macro_f1:.3f}",
            f"urgent recall       {self.urgent_recall:.3f}",
            f"urgent precision    {self.urgent_precision:.3f}",
            f"urgent false alarms {self.urgent_false_alarms:.3f}  (calm messages flagged)",
            f"referral accuracy   {self.referral_accuracy:.3f}  ({self.n_referrals} referrals)",
            f"referral precision  {self.referral_precision:.3f}",
            "",
            f"{'department':<18}{'precision':>10}{'recall':>8}{'support':>9}",
        ]
        for code, (precision, recall, support) in sorted(self.per_department.items()):
            lines.append(f"{code:<18}{precision:>10.3f}{recall:>8.3f}{support:>9}")
        if self.confusion_pairs:
            lines += ["", "top confusions (true -> predicted)"]
            for true, predicted, count in self.confusion_pairs[:_TOP_CONFUSIONS]:
                lines.append(f"{count:>5}  {true} -> {predicted}")
        return "\n".join(lines)


def evaluate(model: RoutingModel, examples: Sequence[Example]) -> Evaluation:
    predictions = model.predict([example.text for example in examples])
    pairs = list(zip(examples, predictions, strict=True))
    actionable = [
        (example.department, prediction.answer or _ABSTAINED)
        for example, prediction in pairs
        if example.department
    ]
    non_actionable = [
        prediction.answer is None
        for example, prediction in pairs
        if not example.department and not example.refer_to
    ]
    referrals = [
        example.refer_to == prediction.refer_to for example, prediction in pairs if example.refer_to
    ]
    referred = [
        example.refer_to == prediction.refer_to
        for example, prediction in pairs
        if prediction.refer_to
    ]
    routed = [
        (true, predicted)
        for true, predicted in actionable
        if predicted != _ABSTAINED and not predicted.startswith(REFER_PREFIX)
    ]

    supports = Counter(true for true, _ in actionable)
    guesses = Counter(predicted for _, predicted in actionable)
    hits = Counter(true for true, predicted in actionable if true == predicted)
    per_department = {
        code: (
            _ratio(hits[code], guesses[code]),
            _ratio(hits[code], supports[code]),
            supports[code],
        )
        for code in sorted(supports.keys() | {true for true, _ in routed} | {p for _, p in routed})
    }
    f1 = [_f1(*per_department[code][:2]) for code in supports]
    mistakes = Counter(
        (true, predicted)
        for true, predicted in actionable
        if true != predicted and predicted != _ABSTAINED
    )

    urgent_true = [example.urgent for example in examples]
    urgent_guess = [prediction.urgent for prediction in predictions]
    urgent_hits = sum(1 for t, g in zip(urgent_true, urgent_guess, strict=True) if t and g)
    return Evaluation(
        n=len(examples),
        n_actionable=len(actionable),
        accuracy=_ratio(hits.total(), len(actionable)),
        macro_f1=sum(f1) / len(f1) if f1 else 0.0,
        per_department=per_department,
        confusion_pairs=[
            (true, predicted, count)
            for (true, predicted), count in sorted(
                mistakes.items(), key=lambda item: (-item[1], item[0])
            )
        ],
        coverage=_ratio(len(routed), len(actionable)),
        routed_accuracy=_ratio(hits.total(), len(routed)),
        held_back=_ratio(sum(non_actionable), len(non_actionable)),
        urgent_recall=_ratio(urgent_hits, sum(urgent_true)),
        urgent_precision=_ratio(urgent_hits, sum(urgent_guess)),
        urgent_false_alarms=_ratio(
            sum(1 for t, g in zip(urgent_true, urgent_guess, strict=True) if g and not t),
            len(urgent_true) - sum(urgent_true),
        ),
        n_referrals=len(referrals),
        referral_accuracy=_ratio(sum(referrals), len(referrals)),
        referral_precision=_ratio(sum(referred), len(referred)),
    )


def is_not_worse(candidate: Evaluation, current: Evaluation, *, tolerance: float = 0.005) -> bool:
    """Whether `candidate` may replace `current` (both measured on the same set)."""
    return (
        candidate.accuracy >= current.accuracy - tolerance
        and candidate.held_back >= current.held_back - tolerance
        and candidate.referral_accuracy >= current.referral_accuracy - tolerance
        and (candidate.coverage >= MIN_COVERAGE or candidate.coverage >= current.coverage)
    )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _ratio(part: int, whole: int) -> float:
    # An empty denominator (no urgent examples, nothing routed) is reported as
    # 0 rather than NaN so that as_dict() stays valid JSON.
    return part / whole if whole else 0.0
