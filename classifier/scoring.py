"""Per-message scoring straight from the fitted scikit-learn objects.

scikit-learn spends about 2 ms of input validation per call, several times
the arithmetic for one message; routing must answer in well under 1 ms. The
fitted pipelines stay the single source of truth (they are what is trained,
stored and loaded); this module only reads their arrays and repeats the same
arithmetic: TF-IDF with sublinear tf and per-block L2 norm, the linear
decision function, temperature-scaled softmax for departments and the
logistic function for urgency. tests/classifier checks that both agree.
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC


@dataclass(frozen=True)
class _Block:
    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int


class LinearScorer:
    def __init__(self, department: Pipeline, urgency: Pipeline) -> None:
        if len(department.steps) != 2 or len(urgency.steps) != 2:
            raise TypeError("pipelines must be exactly (features, classifier)")
        features = department[0]
        if urgency[0] is not features:
            raise TypeError("the department and urgency pipelines must share their features")
        self._blocks = _blocks(features)
        calibrated = department[-1]
        svm = _single_calibrated_svm(calibrated)
        self.labels: np.ndarray = calibrated.classes_
        # Transposed so that one message's features select contiguous rows.
        self._department_weights = np.ascontiguousarray(svm.coef_.T)
        self._department_bias = svm.intercept_
        self._beta = float(calibrated.calibrated_classifiers_[0].calibrators[0].beta_)
        logistic = _binary_logistic(urgency[-1])
        self._urgency_weights = logistic.coef_[0]
        self._urgency_bias = float(logistic.intercept_[0])

    def score(self, text: str) -> tuple[np.ndarray, float]:
        """Department probabilities (in `labels` order) and P(urgent) of one text."""
        indices, values = self._features(text)
        logits = self._department_bias + values @ self._department_weights[indices]
        scaled = self._beta * logits
        exponentials = np.exp(scaled - scaled.max())
        urgency = self._urgency_bias + float(values @ self._urgency_weights[indices])
        return exponentials / exponentials.sum(), float(1.0 / (1.0 + np.exp(-urgency)))

    def _features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for block in self._blocks:
            terms = block.analyzer(text)
            # map() over dict.get keeps the per-term work in C; -1 marks
            # terms outside the vocabulary.
            found = np.fromiter(map(block.vocabulary.get, terms, repeat(-1)), np.intp, len(terms))
            columns, counts = np.unique(found[found >= 0], return_counts=True)
            if not len(columns):
                continue
            tf = 1.0 + np.log(counts)
            weights = tf * block.idf[columns]
            indices.append(columns + block.offset)
            values.append(weights / np.sqrt(weights @ weights))
        if not indices:
            return np.empty(0, dtype=np.intp), np.empty(0)
        return np.concatenate(indices), np.concatenate(values)


def _blocks(features: FeatureUnion) -> list[_Block]:
    if not isinstance(features, FeatureUnion) or features.transformer_weights:
        raise TypeError("features must be an unweighted FeatureUnion of TfidfVectorizers")
    blocks = []
    offset = 0
    for _, vectorizer in features.transformer_list:
        if not (
            isinstance(vectorizer, TfidfVectorizer)
            and vectorizer.sublinear_tf
            and vectorizer.norm == "l2"
            and vectorizer.use_idf
            and not vectorizer.binary
        ):
            raise TypeError("features must be sublinear, idf-weighted, L2-normed TF-IDF blocks")
        blocks.append(
            _Block(
                analyzer=vectorizer.build_analyzer(),
                vocabulary=vectorizer.vocabulary_,
                idf=vectorizer.idf_,
                offset=offset,
            )
        )
        offset += len(vectorizer.vocabulary_)
    return blocks


def _single_calibrated_svm(calibrated: CalibratedClassifierCV) -> LinearSVC:
    if not (
        isinstance(calibrated, CalibratedClassifierCV)
        and calibrated.method == "temperature"
        and len(calibrated.calibrated_classifiers_) == 1
        and isinstance(calibrated.calibrated_classifiers_[0].estimator, LinearSVC)
        and len(calibrated.classes_) > 2  # binary LinearSVC has a single coefficient row
    ):
        raise TypeError("departments must be one temperature-calibrated multiclass LinearSVC")
    return calibrated.calibrated_classifiers_[0].estimator


def _binary_logistic(logistic: LogisticRegression) -> LogisticRegression:
    if not (
        isinstance(logistic, LogisticRegression) and logistic.classes_.tolist() == [False, True]
    ):
        raise TypeError("urgency must be a binary LogisticRegression over [False, True]")
    return logistic
