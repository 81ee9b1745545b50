"""The migration that takes out of existing reviews' published themes what the rule on
themes would never have published, on both engines."""

from __future__ import annotations

import importlib

from core import clock
from core.reports import Reporter, submit_report
from db.tables import Citizen, Department, Policy, PolicyReview
from tests.helpers import FixedRouter

migration = importlib.import_module("db.migrations.db_2026_12_03t18_00_01_000000")
PARKING = "PERWAL-2024-PARKIR"
LEAKED = ["jukir", "bambang", "sumbersari", "identitas", "hartono", "rp5000", "darmi"]


async def _object(text: str, **submit: object) -> None:
    await submit_report(
        text=text,
        channel=str(submit.pop("channel", "telegram")),
        router=FixedRouter("DISHUB"),
        policy_code=PARKING,
        stance="objection",
        **submit,  # type: ignore[arg-type]
    )


async def test_stored_themes_keep_only_public_words(db: str) -> None:
    (citizen,) = await Citizen.insert(
        Citizen(channel="telegram", telegram_chat_id=990_001, created_at=clock.now())
    ).returning(Citizen.id)
    await _object(
        "Jukir minta Rp5000 tunai, identitas karcis tidak jelas", citizen_id=citizen["id"]
    )
    await _object("Saya Bambang di Sumbersari, jukir preman", confidential=True)
    await _object("Warung Darmi dipalak jukir", anonymous=True)
    await _object(
        "Hartono keberatan, jukir minta dobel",
        channel="web",
        reporter=Reporter(name="Hartono", email="hartono@example.id"),
    )
    policy = await Policy.select(Policy.id).where(Policy.code == PARKING).first()
    department = await Department.select(Department.id).where(Department.code == "DISHUB").first()
    moment = clock.now()
    await PolicyReview.insert(
        PolicyReview(
            policy=policy["id"],
            department=department["id"],
            opened_at=moment,
            objectors=25,
            objections=25,
            threshold=25,
            window_days=30,
            themes=LEAKED,
            due_at=moment,
        )
    )
    await migration.scrub_themes()
    review = await PolicyReview.select(PolicyReview.themes).output(load_json=True).first()
    assert review["themes"] == ["jukir"]
