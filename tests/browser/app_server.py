"""The app as browser tests run it: uvicorn in its own process on a given database, with a
router that behaves like a confident classifier for some texts and sends the rest to triage,
suggesting departments for them.

Each xdist worker keeps one process that has imported the app (a multiprocessing
forkserver), and every browser test's app is forked from it: a fresh interpreter spends about
two seconds importing the app before it can answer, once for each of a run's 41 browser tests.
The forkserver has built the app too; each forked process gives it its test's database.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from datetime import datetime

import uvicorn

from api.app import create_app
from config.settings import Settings
from core import clock
from core.routing.models import RoutingDecision
from tests.apps import UNBOUND_DATABASE

# Texts naming a pothole go straight to public works, as the classifier would route them.
ROUTED_WORD = "berlubang"
ROUTED_TO = "DPUPRPKP"
# For everything else: the top three departments the classifier would rank.
SUGGESTED = [("DLH", 0.62), ("DPUPRPKP", 0.21), ("SATPOLPP", 0.09)]

_FORKED = multiprocessing.get_context("forkserver")
_FORKED.set_forkserver_preload([__name__])


class BrowserTestRouter:
    def decide(self, text: str) -> RoutingDecision:
        if ROUTED_WORD in text.lower():
            return RoutingDecision(department_code=ROUTED_TO, confidence=0.95, urgent=False)
        return RoutingDecision(department_code=None, confidence=None, urgent=False)

    def suggest(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        return SUGGESTED[:k]


_APP = create_app(
    Settings(database_url=UNBOUND_DATABASE, rate_limit=None), router=BrowserTestRouter()
)


def start(
    *, database_url: str, port: int, now: datetime | None, output: str
) -> multiprocessing.process.BaseProcess:
    """The app on `database_url` at 127.0.0.1:`port`, its clock standing still at `now` if
    given, writing what it prints to the file `output`."""
    process = _FORKED.Process(
        target=_serve,
        args=(database_url, port, now.isoformat() if now else None, output),
        daemon=True,
    )
    process.start()
    return process


def _serve(database_url: str, port: int, now: str | None, output: str) -> None:
    with open(output, "wb") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    _APP.state.settings = Settings(database_url=database_url, rate_limit=None)
    with clock.frozen_at(datetime.fromisoformat(now)) if now else contextlib.nullcontext():
        uvicorn.run(_APP, host="127.0.0.1", port=port, log_level="warning")
