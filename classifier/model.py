"""Department routing and urgency: training and prediction."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier.corpus import Example
from classifier.danger import mentions_danger
from classifier.normalize import normalize
from classifier.scoring import LinearScorer

# Non-actionable messages (greetings, thanks, spam) get a class of their own so
# the model learns what they look like instead of relying on low confidence.
NONE_LABEL = "_none"
# A matter of an outside authority is a label of its own, "refer:PLN", learnt beside the
# departments: the model names who handles it instead of forcing it onto a department.
REFER_PREFIX = "refer:"
TOP_K = 3
# Threshold choice weighs a misrouted report (a department works on something
# that is not theirs, then re-routes it) twice as heavily as an abstention (a
# verifier routes it within a working day).
ABSTAIN_COST = 0.5
MISROUTE_COST = 1.0
MIN_COVERAGE = 0.90
# SVM regularisation, chosen by 5-fold cross-validation on the training split
# (C=1 gave lower out-of-fold log loss and higher accuracy than 0.5 or 2).
DEPARTMENT_C = 1.0
# A message naming a danger (fire, gas, collapse, ...) is flagged urgent at
# this fraction of the urgency threshold.
DANGER_DISCOUNT = 0.5
# Urgency threshold choice counts recall this many times as much as precision.
URGENCY_BETA = 2.0
URGENCY_CANDIDATES = tuple(round(0.05 * i, 2) for i in range(1, 20))


@dataclass(frozen=True)
class Prediction:
    """One routing decision.

    `confidence` is the probability of the answer: the outside authority's when
    `refer_to` names one, otherwise the best department's, also when the answer is
    null (then it says how close the message came to being routed). `top` lists the
    three most likely departments for one-click re-routing.
    """

    department: str | None
    confidence: float
    urgent: bool
    top: tuple[tuple[str, float], ...]
    refer_to: str | None = None

    @property
    def answer(self) -> str | None:
        """The department or `refer:CODE` given, None when neither (triage)."""
        return self.department or (REFER_PREFIX + self.refer_to if self.refer_to else None)


@dataclass(frozen=True, eq=False)
class RoutingModel:
    """Fitted pipelines plus the decision thresholds chosen on held-out data.

    Both pipelines take normalised text (see `classifier.normalize`) and share
    one fitted feature step, so a message is vectorised once.
    """

    department_pipeline: Pipeline
    urgency_pipeline: Pipeline
    threshold: float
    urgency_threshold: float
    trained_at: datetime
    n_examples: int
    _scorer: LinearScorer = field(init=False, repr=False)

    def __post_init__(self) -> None:
        scorer = LinearScorer(self.department_pipeline, self.urgency_pipeline)
        object.__setattr__(self, "_scorer", scorer)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.predict_one(text) for text in texts]

    def predict_one(self, text: str) -> Prediction:
        normalised = normalize(text)
        probabilities, urgent_probability = self._scorer.score(normalised)
        labels = self._scorer.labels
        order = np.argsort(-probabilities, kind="stable")
        top = tuple(
            (str(labels[i]), float(probabilities[i])) for i in order if _is_department(labels[i])
        )[:TOP_K]
        best, confidence = top[0]
        winner = str(labels[order[0]])
        referral = winner.startswith(REFER_PREFIX)
        if referral:
            confidence = float(probabilities[order[0]])
        answered = winner != NONE_LABEL and confidence >= self.threshold
        return Prediction(
            department=best if answered and not referral else None,
            refer_to=winner.removeprefix(REFER_PREFIX) if answered and referral else None,
            confidence=confidence,
            urgent=is_urgent(
                urgent_probability,
                danger=mentions_danger(normalised),
                threshold=self.urgency_threshold,
            ),
            top=top,
        )

    def urgency_evidence(self, text: str) -> tuple[float, bool]:
        """P(urgent) and whether the message names a danger, for threshold choice."""
        normalised = normalize(text)
        return self._scorer.score(normalised)[1], mentions_danger(normalised)


def label_of(example: Example) -> str:
    """The class an example teaches: its department, `refer:CODE`, or NONE_LABEL."""
    if example.department:
        return example.department
    return REFER_PREFIX + example.refer_to if example.refer_to else NONE_LABEL


def _is_department(label: str) -> bool:
    return label != NONE_LABEL and not label.startswith(REFER_PREFIX)


def is_urgent(probability: float, *, danger: bool, threshold: float) -> bool:
    return probability >= (threshold * DANGER_DISCOUNT if danger else threshold)


def train(
    examples: Sequence[Example],
    *,
    heldout: Sequence[Example],
    progress: Callable[[str], None] | None = None,
    seed: int = 0,
) -> RoutingModel:
    """Fit on `examples`, then choose the decision thresholds on `heldout`."""
    report = progress or (lambda message: None)
    if not any(example.department for example in heldout):
        raise ValueError("held-out examples must include actionable messages")

    report(f"normalising {len(examples)} training examples")
    texts = [normalize(example.text) for example in examples]
    labels = [label_of(example) for example in examples]
    urgent = [example.urgent for example in examples]
    if len(set(urgent)) < 2:
        raise ValueError("training examples must include urgent and non-urgent messages")

    report(f"fitting features and department model ({len(set(labels))} labels)")
    features = _features()
    matrix = features.fit_transform(texts)
    department = _department_classifier(_folds(labels, seed), seed).fit(matrix, labels)

    report("fitting urgency model")
    urgency = LogisticRegression(
        C=10.0, class_weight="balanced", solver="liblinear", random_state=seed
    )
    urgency.fit(matrix, urgent)

    report(f"choosing thresholds on {len(heldout)} held-out examples")
    provisional = RoutingModel(
        department_pipeline=Pipeline([("features", features), ("classifier", department)]),
        urgency_pipeline=Pipeline([("features", features), ("classifier", urgency)]),
        threshold=0.0,
        urgency_threshold=0.5,
        trained_at=datetime.now(UTC),
        n_examples=len(examples),
    )
    heldout_texts = [example.text for example in heldout]
    threshold = choose_threshold(heldout, provisional.predict(heldout_texts))
    urgency_threshold = choose_urgency_threshold(
        heldout, [provisional.urgency_evidence(text) for text in heldout_texts]
    )
    report(f"routing threshold {threshold:.3f}, urgency threshold {urgency_threshold:.2f}")
    return replace(provisional, threshold=threshold, urgency_threshold=urgency_threshold)


def choose_threshold(examples: Sequence[Example], predictions: Sequence[Prediction]) -> float:
    """The abstention threshold with the lowest held-out cost at >= 90 % coverage.

    `predictions` must come from a model with threshold 0, so that a null
    answer means the non-actionable label won. An answer is a department or a
    referral; an actionable message has either. Costs: a wrong answer to an
    actionable message or an answer to a non-actionable one costs
    MISROUTE_COST, an abstention on an actionable one ABSTAIN_COST. Ties go
    to the lower threshold (more coverage). If no threshold reaches
    MIN_COVERAGE, the one with the most coverage (0) is returned.
    """
    candidates = sorted({0.0} | {p.confidence for p in predictions if p.answer})
    actionable = sum(1 for example in examples if label_of(example) != NONE_LABEL)
    best: tuple[float, float] | None = None
    for threshold in candidates:
        cost = 0.0
        routed_actionable = 0
        for example, prediction in zip(examples, predictions, strict=True):
            expected = label_of(example)
            routed = prediction.answer is not None and prediction.confidence >= threshold
            if expected == NONE_LABEL:
                cost += MISROUTE_COST if routed else 0.0
            elif not routed:
                cost += ABSTAIN_COST
            else:
                routed_actionable += 1
                cost += 0.0 if prediction.answer == expected else MISROUTE_COST
        if routed_actionable < MIN_COVERAGE * actionable:
            break  # coverage only falls as the threshold rises
        if best is None or cost < best[1]:
            best = (threshold, cost)
    return best[0] if best else 0.0


def choose_urgency_threshold(
    examples: Sequence[Example], evidence: Sequence[tuple[float, bool]]
) -> float:
    """The urgency threshold with the best held-out F-beta (ties: the higher one).

    With beta = URGENCY_BETA a missed emergency (a fire or a collapse waiting
    out a working-day deadline) weighs more than a false alarm (a department
    dropping everything for a few minutes). Without urgent held-out examples,
    0.5.
    """
    actual = sum(1 for example in examples if example.urgent)
    if not actual:
        return 0.5
    beta_squared = URGENCY_BETA**2
    best_threshold, best_score = 0.5, -1.0
    for threshold in URGENCY_CANDIDATES:
        hits = flagged = 0
        for example, (probability, danger) in zip(examples, evidence, strict=True):
            urgent = is_urgent(probability, danger=danger, threshold=threshold)
            flagged += urgent
            hits += urgent and example.urgent
        score = (1 + beta_squared) * hits / (beta_squared * actual + flagged)
        if score >= best_score:
            best_threshold, best_score = threshold, score
    return best_threshold


def _folds(labels: Sequence[str], seed: int) -> StratifiedKFold:
    # Out-of-fold scores for fitting the temperature, a single parameter:
    # three folds are plenty and keep training to four SVM fits. A department
    # with fewer examples (a new one, a test corpus) gets fewer folds.
    smallest = min(labels.count(label) for label in set(labels))
    if smallest < 2:
        raise ValueError("every department needs at least two training examples")
    return StratifiedKFold(n_splits=min(3, smallest), shuffle=True, random_state=seed)


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            ),
            (
                "char",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            ),
        ]
    )


def _department_classifier(folds: StratifiedKFold, seed: int) -> CalibratedClassifierCV:
    # ensemble=False keeps one SVM (scored per message by LinearScorer) and
    # fits the temperature on out-of-fold scores.
    return CalibratedClassifierCV(
        LinearSVC(C=DEPARTMENT_C, class_weight="balanced", random_state=seed),
        method="temperature",
        cv=folds,
        ensemble=False,
    )
