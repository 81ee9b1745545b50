"""Routes citizen reports to the responsible department and flags urgent ones."""

from classifier.corpus import (
    CORPUS_DIR,
    DEPARTMENTS,
    CorpusError,
    Example,
    load_fresh,
    load_jsonl,
    load_split,
)
from classifier.evaluate import Evaluation, evaluate, is_not_worse
from classifier.model import NONE_LABEL, Prediction, RoutingModel, train
from classifier.normalize import normalize
from classifier.store import UntrustedModelError, dumps, loads

__all__ = [
    "CORPUS_DIR",
    "DEPARTMENTS",
    "NONE_LABEL",
    "CorpusError",
    "Evaluation",
    "Example",
    "Prediction",
    "RoutingModel",
    "UntrustedModelError",
    "dumps",
    "evaluate",
    "is_not_worse",
    "load_fresh",
    "load_jsonl",
    "load_split",
    "loads",
    "normalize",
    "train",
]
