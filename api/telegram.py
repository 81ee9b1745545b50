"""The Telegram webhook: Telegram posts each update here, with the secret it was given.

The update is handled before the request is answered, so Telegram retries what failed, and
several replicas behind one webhook share the conversation through the database.
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request, post
from litestar.exceptions import (
    ClientException,
    PermissionDeniedException,
    SerializationException,
    ServiceUnavailableException,
)
from litestar.status_codes import HTTP_200_OK

from bot.runtime import WEBHOOK_PATH, feed

# Telegram sends the secret given at setWebhook in this header with every update.
_HEADER = "x-telegram-bot-api-secret-token"


@post(
    WEBHOOK_PATH,
    status_code=HTTP_200_OK,
    tags=["telegram"],
    summary="Updates from Telegram (checked against TELEGRAM_WEBHOOK_SECRET)",
)
async def telegram_webhook(request: Request[Any, Any, Any]) -> dict[str, Any]:
    secret = request.app.state.settings.telegram_webhook_secret
    given = request.headers.get(_HEADER, "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        raise PermissionDeniedException()
    application = request.app.state.telegram
    if application is None:  # no token, or Telegram was unreachable at start
        raise ServiceUnavailableException()
    # A body that is not an update (malformed, too deeply nested, with NUL; any content type)
    # is answered 400, not 200-and-ignored: only a sender holding the secret gets this far,
    # so the 400 tells a broken sender what is wrong. Telegram sends well-formed updates;
    # should it ever forward a NUL, it retries the 400 a while and drops it, as it would any
    # update the database cannot store. The checks are the app's own (api/edge.CheckedRequest).
    try:
        payload = await request.json()
        carried = await feed(application, payload)
    except (SerializationException, ValueError) as error:
        raise ClientException(detail=str(error)) from error
    # A method in the response is one Telegram performs (a button's answer); else nothing.
    return carried or {"ok": True}
