"""Model (de)serialisation with skops: no pickle, and no type we did not vet.

The stored form is a plain dict of scikit-learn objects, arrays, numbers and
strings (skops cannot load arbitrary classes such as RoutingModel without
trusting them); RoutingModel is rebuilt from it on load. The shared feature
step is stored once, and its vocabularies as arrays of terms rather than as
dicts: skops writes a dict entry by entry into its JSON schema, which made a
file of 50,000 n-grams take seconds and hundreds of MB to write and read.
"""

import copy
import zipfile
from collections.abc import Sequence
from datetime import datetime

import numpy as np
import skops.io as sio
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.model import RoutingModel

FORMAT = 1

# The types a model trained by classifier.model.train contains beyond those
# skops trusts by default. Anything else in a file means it was not produced
# by this code and could run arbitrary code when loaded.
ALLOWED_TYPES = frozenset(
    {
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._TemperatureScaling",
        "sklearn.model_selection._split.StratifiedKFold",
    }
)


class UntrustedModelError(ValueError):
    """A model file contains types outside the allow-list."""

    def __init__(self, types: Sequence[str]) -> None:
        super().__init__(f"model file contains untrusted types: {', '.join(types)}")
        self.types = tuple(types)


def dumps(model: RoutingModel) -> bytes:
    features, vocabularies = _without_vocabularies(model.department_pipeline[0])
    state = {
        "format": FORMAT,
        "features": features,
        "vocabularies": vocabularies,
        "department": model.department_pipeline[-1],
        "urgency": model.urgency_pipeline[-1],
        "threshold": float(model.threshold),
        "urgency_threshold": float(model.urgency_threshold),
        "trained_at": model.trained_at.isoformat(),
        "n_examples": int(model.n_examples),
    }
    blob: bytes = sio.dumps(state, compression=zipfile.ZIP_DEFLATED)
    return blob


def loads(data: bytes, *, trusted: Sequence[str] = ()) -> RoutingModel:
    """Load a model, refusing any type outside ALLOWED_TYPES and `trusted`."""
    found = sio.get_untrusted_types(data=data)
    refused = sorted(set(found) - ALLOWED_TYPES - set(trusted))
    if refused:
        raise UntrustedModelError(refused)
    state = sio.loads(data, trusted=found)
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError(f"not an ingatkan routing model (format {FORMAT})")
    features = _with_vocabularies(state["features"], state["vocabularies"])
    return RoutingModel(
        department_pipeline=Pipeline([("features", features), ("classifier", state["department"])]),
        urgency_pipeline=Pipeline([("features", features), ("classifier", state["urgency"])]),
        threshold=float(state["threshold"]),
        urgency_threshold=float(state["urgency_threshold"]),
        trained_at=datetime.fromisoformat(state["trained_at"]),
        n_examples=int(state["n_examples"]),
    )


def _without_vocabularies(features: FeatureUnion) -> tuple[FeatureUnion, list[np.ndarray]]:
    # Shallow copies: the model being stored must not change under its users.
    stripped = copy.copy(features)
    stripped.transformer_list = []
    vocabularies = []
    for name, vectorizer in features.transformer_list:
        vocabulary = vectorizer.vocabulary_
        vocabularies.append(np.array(sorted(vocabulary, key=vocabulary.__getitem__)))
        clone = copy.copy(vectorizer)
        del clone.vocabulary_
        stripped.transformer_list.append((name, clone))
    return stripped, vocabularies


def _with_vocabularies(features: FeatureUnion, vocabularies: list[np.ndarray]) -> FeatureUnion:
    if len(vocabularies) != len(features.transformer_list):
        raise ValueError("model file has a vocabulary per feature block")
    for (_, vectorizer), terms in zip(features.transformer_list, vocabularies, strict=True):
        if len(terms) != len(vectorizer.idf_):
            raise ValueError("model file vocabulary does not match its idf weights")
        vectorizer.vocabulary_ = {term: index for index, term in enumerate(terms.tolist())}
    return features
