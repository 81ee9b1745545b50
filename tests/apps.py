"""The whole app for one test, built once per worker for each form of settings.

Building an app is Litestar registering every handler again: about 0.14 s, a fifth of a
worker's time when every test built its own. A test's app differs from the last one's only in
the database, the router and what the stores hold: the app's lifespan takes the first two
from `app.state` at start, and the stores are emptied here."""

from __future__ import annotations

from dataclasses import replace

from litestar import Litestar

from api.app import create_app
from api.stores import RATE_LIMIT_STORE, SESSION_STORE
from config.settings import Settings
from core.routing.decision import Router
from core.routing.registry import ProcessRouter

_BUILT: dict[Settings, Litestar] = {}
# A valid URL for an app built before its test's database is known, replaced before each start.
UNBOUND_DATABASE = "sqlite:///never-opened.sqlite3"


async def app_for(settings: Settings, *, router: Router | None = None) -> Litestar:
    """An app of these settings, on their database, with empty stores. One test at a time may
    run it: a test that serves two apps at once builds them with `create_app`."""
    shape = replace(settings, database_url=UNBOUND_DATABASE)
    app = _BUILT.get(shape)
    if app is None:
        app = _BUILT[shape] = create_app(shape)
    app.state.settings = settings
    app.state.router = router or ProcessRouter()
    for name in (SESSION_STORE, RATE_LIMIT_STORE, app.response_cache_config.store):
        await app.stores.get(name).delete_all()
    return app
