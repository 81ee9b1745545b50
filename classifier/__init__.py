"""Routes citizen reports to the responsible department and flags urgent ones."""

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
from classifier.evaluate import Evaluation, evaluate, is_not_worse
from classifier.model import NONE_LABEL, REFER_PREFIX, Prediction, RoutingModel, train
from classifier.normalize import normalize
from classifier.store import UntrustedModelError, dumps, loads

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
