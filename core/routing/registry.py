"""Routing models as versions in the database, and the router that uses the current one.

A fresh install has no model: the first process that needs one trains it from the shipped
corpus and stores it. Retraining adds the corrections of verifiers and officers (every triage
decision and re-route is a training example), evaluates the candidate and the current model
on the held-out split and on the corrections, and promotes the candidate only if it is not
worse. Model files are read back through the skops allow-list, never unpickled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

# The model's own modules (scikit-learn, skops) load when first named, through the package:
# a process that never trains or reads a model starts without them. They are named in worker
# threads only (asyncio.to_thread), so that loading them never holds up the event loop.
import classifier
from classifier import Example, load_split
from core import clock
from core.reports import lifecycle
from core.routing.decision import TriageRouter
from core.routing.models import ModelVersionView, RoutingDecision, TrainingOutcome
from db.engine import write_transaction
from db.tables import ModelVersion, Report, TrainingExample

logger = logging.getLogger("ingatkan.classifier")

Progress = Callable[[str], None]

# Models already read from the database, by version: each process loads a version once.
_loaded: dict[str, classifier.RoutingModel] = {}


class ClassifierRouter:
    """Routes with a trained model; a null department sends the report to triage."""

    def __init__(self, model: classifier.RoutingModel, *, version: str) -> None:
        self.model = model
        self.version = version

    def decide(self, text: str) -> RoutingDecision:
        prediction = self.model.predict_one(text)
        return RoutingDecision(
            department_code=prediction.department,
            confidence=round(prediction.confidence, 4),
            urgent=prediction.urgent,
            refer_to=prediction.refer_to,
        )

    def suggest(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The most likely departments, for a verifier's one-click routing."""
        return list(self.model.predict_one(text).top[:k])


async def _corrections() -> list[Example]:
    rows = await TrainingExample.select(
        TrainingExample.text,
        TrainingExample.department_code,
        TrainingExample.report.urgent.as_alias("urgent"),
    ).order_by(TrainingExample.id)
    return [
        Example(text=row["text"], department=row["department_code"], urgent=bool(row["urgent"]))
        for row in rows
    ]


def _split_corrections(corrections: list[Example]) -> tuple[list[Example], list[Example]]:
    """Every fifth correction is kept out of training to measure the candidate on."""
    evaluation = corrections[4::5]
    training = [c for i, c in enumerate(corrections) if i % 5 != 4]
    return training, evaluation


async def current_version() -> ModelVersionView | None:
    row = (
        await ModelVersion.select(
            ModelVersion.id, ModelVersion.version, ModelVersion.metrics, ModelVersion.created_at
        )
        .where(ModelVersion.current == True)  # noqa: E712
        .output(load_json=True)
        .first()
    )
    return None if row is None else ModelVersionView(**row)


async def current_router() -> ClassifierRouter | None:
    row = await current_version()
    if row is None:
        return None
    model = _loaded.get(row.version)
    if model is None:
        stored = (
            await ModelVersion.select(ModelVersion.blob).where(ModelVersion.id == row.id).first()
        )
        assert stored is not None  # versions are never deleted
        model = await asyncio.to_thread(_read, bytes(stored["blob"]))
        _loaded[row.version] = model
    return ClassifierRouter(model, version=row.version)


class ProcessRouter:
    """The router of a running process (web app, bot): the current model's once one is
    loaded. Until then every report waits in triage unseen, and `first_model` routes those
    reports when the first model is ready; the doors hold this one object throughout."""

    def __init__(self) -> None:
        self.classifier: ClassifierRouter | None = None

    @property
    def ready(self) -> bool:
        return self.classifier is not None

    def decide(self, text: str) -> RoutingDecision:
        if self.classifier is None:
            return TriageRouter().decide(text)
        return self.classifier.decide(text)

    def suggest(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        return [] if self.classifier is None else self.classifier.suggest(text, k)

    async def load(self) -> bool:
        """Take the current model from the database, if there is one."""
        self.classifier = await current_router()
        return self.ready


async def first_model(*, router: ProcessRouter, progress: Progress) -> int:
    """Train the first model from the corpus while the process answers (`router` sends
    reports to triage meanwhile), then route the reports that waited for it; how many it
    decided on. Run where `router.load()` found no model."""
    progress("training the first routing model; reports wait in triage until it is ready")
    await retrain(progress=progress)
    await router.load()  # ours, or one another process promoted first
    assert router.classifier is not None
    seen = await route_waiting(router=router.classifier)
    progress(
        f"routing model {router.classifier.version} ready; "
        f"reports that waited in triage, classified: {seen}"
    )
    return seen


# Reports classified after the fact in one batch; the loop runs until none is left.
_WAITING_BATCH = 200


async def route_waiting(*, router: ClassifierRouter) -> int:
    """Give every report that arrived before any model existed (in triage, never classified)
    the model's decision, through the lifecycle; how many it decided on."""
    done = 0
    while True:
        rows = (
            await Report.select(Report.tracking_code, Report.text)
            .where((Report.status == lifecycle.Status.TRIAGE) & Report.confidence.is_null())
            .order_by(Report.id)
            .limit(_WAITING_BATCH)
        )
        if not rows:
            return done
        for row in rows:
            decided = await lifecycle.route_by_model(
                tracking_code=row["tracking_code"], decision=router.decide(row["text"])
            )
            # Decided here, or taken by a verifier or another process meanwhile: either way
            # no longer waiting, so the loop ends.
            done += decided is not None


async def ensure_router(*, progress: Progress | None = None) -> ClassifierRouter:
    """The current model's router, training the first model from the corpus if there is none."""
    router = await current_router()
    if router is not None:
        return router
    await retrain(progress=progress)
    router = await current_router()
    assert router is not None
    return router


def _fit(
    examples: list[Example], heldout: list[Example], progress: Progress | None
) -> classifier.RoutingModel:
    return classifier.train(examples, heldout=heldout, progress=progress)


def _read(blob: bytes) -> classifier.RoutingModel:
    return classifier.loads(blob)


def _write(model: classifier.RoutingModel) -> bytes:
    return classifier.dumps(model)


async def retrain(*, progress: Progress | None = None) -> TrainingOutcome:
    """Train on the corpus plus corrections; promote only if not worse than the current model."""
    say = progress or (lambda message: None)
    heldout = load_split("heldout")
    corrections = await _corrections()
    learn_from, judge_on = _split_corrections(corrections)
    examples = [*load_split("train"), *learn_from]
    say(f"training on {len(examples)} examples ({len(learn_from)} corrections)")
    model = await asyncio.to_thread(_fit, examples, heldout, progress)
    say("evaluating")
    candidate = await asyncio.to_thread(_evaluations, model, heldout, judge_on)
    existing = await current_router()
    current = (
        await asyncio.to_thread(_evaluations, existing.model, heldout, judge_on)
        if existing
        else None
    )
    promoted = existing is None or _not_worse(candidate, current)
    version = clock.now().strftime("%Y%m%dT%H%M%S%f")
    blob = await asyncio.to_thread(_write, model)
    async with write_transaction():
        still_current = await current_version()
        if promoted and (still_current.version if still_current else None) != (
            existing.version if existing else None
        ):
            # Another process promoted a model meanwhile: ours was not compared with it.
            promoted = False
        if promoted:
            await ModelVersion.update({ModelVersion.current: False}).where(
                ModelVersion.current == True  # noqa: E712
            )
        await ModelVersion.insert(
            ModelVersion(
                version=version,
                blob=blob,
                threshold=model.threshold,
                metrics={k: v.as_dict() for k, v in candidate.items()},
                n_examples=len(examples),
                current=promoted,
                created_at=clock.now(),
            )
        )
    if promoted:
        _loaded[version] = model
    say(f"model {version} {'promoted' if promoted else 'kept aside: worse than the current one'}")
    return TrainingOutcome(
        version=version,
        promoted=promoted,
        candidate={k: v.as_dict() for k, v in candidate.items()},
        current={k: v.as_dict() for k, v in current.items()} if current else None,
        n_examples=len(examples),
    )


def _evaluations(
    model: classifier.RoutingModel, heldout: list[Example], corrections: list[Example]
) -> dict[str, classifier.Evaluation]:
    result = {"heldout": classifier.evaluate(model, heldout)}
    if corrections:
        result["corrections"] = classifier.evaluate(model, corrections)
    return result


def _not_worse(
    candidate: dict[str, classifier.Evaluation], current: dict[str, classifier.Evaluation] | None
) -> bool:
    if current is None:
        return True
    return all(classifier.is_not_worse(candidate[name], current[name]) for name in candidate)
