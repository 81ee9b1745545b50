"""The routing model as the product uses it: stored, loaded, retrained, wired into intake."""

from __future__ import annotations

import pytest
import skops.io as sio

from classifier import UntrustedModelError, load_split
from core import clock
from core.reports import lifecycle
from core.reports.intake import public_report, submit_report
from core.routing import registry as model_registry
from core.routing.models import RetrainResult
from core.routing.scheduled import retrain_if_due
from db.tables import ModelVersion, TrainingExample
from tests.helpers import ADMIN


@pytest.fixture
def tenth_of_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry trains on every tenth example of each split: a model in seconds, for
    tests of what the registry does with *a* model (tests/classifier holds the model trained
    on the whole corpus to its floors)."""
    monkeypatch.setattr(model_registry, "load_split", lambda split: load_split(split)[::10])


@pytest.mark.usefixtures("tenth_of_the_corpus")
async def test_first_use_trains_from_the_corpus_and_stores_a_version(db: str) -> None:
    await ModelVersion.delete(force=True)
    said: list[str] = []
    router = await model_registry.ensure_router(progress=said.append)
    assert any("training on" in line for line in said)
    versions = await ModelVersion.select(ModelVersion.version, ModelVersion.current)
    assert versions == [{"version": router.version, "current": True}]
    again = await model_registry.ensure_router(progress=said.append)
    assert again.version == router.version and await ModelVersion.count() == 1


async def test_confident_reports_are_routed_with_their_confidence(db: str) -> None:
    router = await model_registry.ensure_router()
    routed = await submit_report(
        text="Sampah di TPS Tlogomas tidak diangkut seminggu, baunya sampai ke rumah warga",
        channel="api",
        router=router,
    )
    assert routed.status == "open" and routed.confidence >= router.model.threshold
    chatter = await submit_report(
        text="makasih min, semoga sehat selalu", channel="api", router=router
    )
    assert chatter.status == "triage" and chatter.department is None
    suggestions = router.suggest("lampu merah perempatan Dinoyo mati total", k=3)
    assert suggestions[0][0] == "DISHUB" and len(suggestions) == 3


@pytest.mark.usefixtures("tenth_of_the_corpus")
async def test_a_retrain_that_would_be_worse_is_not_promoted(db: str) -> None:
    await ModelVersion.delete(force=True)
    await model_registry.ensure_router()  # the current model, from the same corpus
    before = await model_registry.current_version()
    # a careless verifier sends every waste complaint to the health office, again and again
    waste = [e.text for e in load_split("train") if e.department == "DLH"]
    now = clock.now()
    await TrainingExample.insert(
        *[
            TrainingExample(text=text, department_code="DINKES", source="route", created_at=now)
            for text in waste * 3
        ]
    )
    outcome = await model_registry.retrain()
    assert outcome.promoted is False
    assert outcome.candidate["heldout"]["accuracy"] < outcome.current["heldout"]["accuracy"]
    after = await model_registry.current_version()
    assert after.version == before.version
    assert await ModelVersion.count() == 2  # kept aside, for the record


async def test_nightly_retrain_waits_for_enough_corrections(db: str) -> None:
    result = await retrain_if_due()
    assert result == RetrainResult(retrained=False, corrections_waiting=0)


async def test_a_model_file_from_outside_is_refused(db: str) -> None:
    from collections import OrderedDict

    class Payload(OrderedDict):
        """Stands for any class a forged model file could smuggle in."""

    await ModelVersion.update({ModelVersion.current: False}, force=True)
    await ModelVersion.insert(
        ModelVersion(
            version="forged",
            blob=sio.dumps({"model": Payload(a=1)}),
            threshold=0.5,
            metrics={},
            n_examples=0,
            current=True,
            created_at=clock.now(),
        )
    )
    with pytest.raises(UntrustedModelError):
        await model_registry.current_router()


async def test_reports_that_came_before_the_first_model_are_routed_by_it_once(db: str) -> None:
    """A fresh database answers before its first model exists: reports wait in triage unseen,
    and the model, once ready, routes them through the lifecycle (its event on the timeline,
    no training example of its own) or leaves them for a verifier, each once."""
    waiting = model_registry.ProcessRouter()  # no model loaded: the state of a first start
    assert not waiting.ready and waiting.suggest("lampu jalan mati") == []
    routable = await submit_report(
        text="Sampah di TPS Tlogomas tidak diangkut seminggu, baunya sampai ke rumah warga",
        channel="api",
        router=waiting,
    )
    chatter = await submit_report(
        text="makasih min, semoga sehat selalu", channel="api", router=waiting
    )
    handled = await submit_report(text="Got mampet di Jl. Kawi", channel="api", router=waiting)
    assert {routable.status, chatter.status, handled.status} == {"triage"}
    await lifecycle.route(
        tracking_code=handled.tracking_code, department_code="DPUPRPKP", actor=ADMIN
    )
    corrections = await TrainingExample.count()

    assert await waiting.load()
    assert waiting.classifier is not None
    assert await model_registry.route_waiting(router=waiting.classifier) == 2
    assert await model_registry.route_waiting(router=waiting.classifier) == 0

    routed = await public_report(routable.tracking_code)
    assert (
        routed.status == "open"
        and routed.department is not None
        and routed.department.code == "DLH"
    )
    assert [event.event for event in routed.timeline] == ["submitted", "routed"]
    left = await public_report(chatter.tracking_code)
    assert left.status == "triage" and [event.event for event in left.timeline] == ["submitted"]
    # the verifier's routing stands, and only the person's decision teaches the model
    kept = (await public_report(handled.tracking_code)).department
    assert kept is not None and kept.code == "DPUPRPKP"
    assert await TrainingExample.count() == corrections
