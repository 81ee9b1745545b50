"""Routes citizen reports to the responsible department and flags urgent ones.

The corpus and the normaliser load at once. The model, its evaluation and its store need
scikit-learn and skops, whose import costs a second or two of CPU, so they load when first
named: a process that never trains or reads a model (a scheduler run, `ingatkan users`, a web
app routing with something else) starts without them.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from classifier.corpus import (
    CORPUS_DIR,
    DEPARTMENTS,
    EVAL_DIR,
    REFERRALS,
    CorpusError,
    Example,
    load_eval,
    load_fresh,
    load_jsonl,
    load_split,
    referral_code,
)
from classifier.normalize import normalize

if TYPE_CHECKING:
    from classifier.evaluate import Evaluation, evaluate, is_not_worse
    from classifier.model import NONE_LABEL, REFER_PREFIX, Prediction, RoutingModel, train
    from classifier.store import UntrustedModelError, dumps, loads

_ON_FIRST_USE = {
    "Evaluation": "classifier.evaluate",
    "evaluate": "classifier.evaluate",
    "is_not_worse": "classifier.evaluate",
    "NONE_LABEL": "classifier.model",
    "REFER_PREFIX": "classifier.model",
    "Prediction": "classifier.model",
    "RoutingModel": "classifier.model",
    "train": "classifier.model",
    "UntrustedModelError": "classifier.store",
    "dumps": "classifier.store",
    "loads": "classifier.store",
}


def __getattr__(name: str) -> object:
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = import_module(_ON_FIRST_USE[name])
    # Bound here once loaded, each name to what it names: importing classifier.evaluate set
    # this package's `evaluate` to the module, which the function of that name replaces.
    globals().update(
        {
            lazy: getattr(module, lazy)
            for lazy, home in _ON_FIRST_USE.items()
            if home == module.__name__
        }
    )
    return globals()[name]


__all__ = [
    "CORPUS_DIR",
    "DEPARTMENTS",
    "EVAL_DIR",
    "NONE_LABEL",
    "REFERRALS",
    "REFER_PREFIX",
    "CorpusError",
    "Evaluation",
    "Example",
    "Prediction",
    "RoutingModel",
    "UntrustedModelError",
    "dumps",
    "evaluate",
    "is_not_worse",
    "load_eval",
    "load_fresh",
    "load_jsonl",
    "load_split",
    "loads",
    "normalize",
    "referral_code",
    "train",
]
