"""One citizen per email address and per phone number (core/contacts.py).

Until now every web, API and Open311 report with contact details made a citizen of its own.
This merges them as core.contacts matches a new report — email first, then phone, each in
its normal form — moving the later rows' reports and messages to the first citizen (blocked
if any of them was), then adds the unique indexes that keep it so. Telegram citizens have no
email or phone and are left alone.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

from core.contacts import normalize_email, normalize_phone

ID = "2026-12-03T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one citizen per contact"

INDEXES = {
    "citizen_email_key": "ON citizen (email)",
    "citizen_phone_key": "ON citizen (phone)",
}


async def merge_contacts() -> None:
    engine = engine_finder()

    async def run(sql: str, *args: object) -> list:
        return await engine.run_querystring(QueryString(sql, *args))

    rows = await run(
        "SELECT id, email, phone, blocked FROM citizen "
        "WHERE email IS NOT NULL OR phone IS NOT NULL ORDER BY id"
    )
    by_email: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    for row in rows:
        email, phone = normalize_email(row["email"]), normalize_phone(row["phone"])
        target = by_email.get(email or "") or by_phone.get(phone or "")
        if target is None:
            await run(
                "UPDATE citizen SET email = {}, phone = {} WHERE id = {}", email, phone, row["id"]
            )
            if email:
                by_email[email] = row["id"]
            if phone:
                by_phone[phone] = row["id"]
            continue
        for table in ("report", "outbox_message"):
            await run(f"UPDATE {table} SET citizen = {{}} WHERE citizen = {{}}", target, row["id"])
        if row["blocked"]:
            await run("UPDATE citizen SET blocked = {} WHERE id = {}", True, target)
        await run("DELETE FROM citizen WHERE id = {}", row["id"])


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)

    async def run():
        await merge_contacts()
        engine = engine_finder()
        for name, definition in INDEXES.items():
            await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} {definition}")

    async def run_backwards():
        engine = engine_finder()
        for name in INDEXES:
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
