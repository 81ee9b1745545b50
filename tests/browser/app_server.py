"""The app as browser tests run it: uvicorn in its own process on a given database, with a
router that behaves like a confident classifier for some texts and sends the rest to triage,
suggesting departments for them.

    python -m tests.browser.app_server DATABASE_URL PORT

With INGATKAN_TEST_NOW (an ISO time) set, the app's clock stands still at that moment.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime

import uvicorn

from api.app import create_app
from config.settings import Settings
from core import clock
from core.routing.models import RoutingDecision

# Texts naming a pothole go straight to public works, as the classifier would route them.
ROUTED_WORD = "berlubang"
ROUTED_TO = "DPUPRPKP"
# For everything else: the top three departments the classifier would rank.
SUGGESTED = [("DLH", 0.62), ("DPUPRPKP", 0.21), ("SATPOLPP", 0.09)]


class BrowserTestRouter:
    def decide(self, text: str) -> RoutingDecision:
        if ROUTED_WORD in text.lower():
            return RoutingDecision(department_code=ROUTED_TO, confidence=0.95, urgent=False)
        return RoutingDecision(department_code=None, confidence=None, urgent=False)

    def suggest(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        return SUGGESTED[:k]


def main() -> None:
    database_url, port = sys.argv[1], int(sys.argv[2])
    app = create_app(
        Settings(database_url=database_url, rate_limit=None), router=BrowserTestRouter()
    )
    pinned = os.environ.get("INGATKAN_TEST_NOW")
    if pinned:
        with clock.frozen_at(datetime.fromisoformat(pinned)):
            uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
    else:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
