"""Take out of the stored themes of existing policy reviews what the new rule would never
have published (core/policy_pressure.py): a word kept must occur in a public objection to
the policy (neither anonymous nor confidential), carry no number, not be one of the words
people use to say who or where they are, and not be part of any objector's name.

Reviews opened before the rule may have published words of confidential or anonymous
objections on /kebijakan; they disappear from there when this has run.
"""

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

from core.policy_pressure import name_words, theme_words

ID = "2026-12-03T18:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "themes only from public objections"


async def scrub_themes() -> None:
    engine = engine_finder()

    async def run(sql: str, *args: object) -> list:
        return await engine.run_querystring(QueryString(sql, *args))

    for review in await run("SELECT id, policy, themes FROM policy_review"):
        themes = review["themes"]
        themes = json.loads(themes) if isinstance(themes, str) else themes
        if not themes:
            continue
        public: set[str] = set()
        names: set[str] = set()
        for report in await run(
            "SELECT report.text, report.anonymous, report.confidential, citizen.name "
            "FROM report LEFT JOIN citizen ON citizen.id = report.citizen "
            "WHERE report.policy = {} AND report.stance = 'objection'",
            review["policy"],
        ):
            names |= name_words(report["name"])
            if not (report["anonymous"] or report["confidential"]):
                public |= theme_words(report["text"])
        kept = [word for word in themes if word in public and word not in names]
        if kept != themes:
            await run(
                "UPDATE policy_review SET themes = {} WHERE id = {}", json.dumps(kept), review["id"]
            )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="db", description=DESCRIPTION)
    manager.add_raw(scrub_themes)
    return manager
