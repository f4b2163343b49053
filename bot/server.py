"""The ASGI app of `serve`: Slack and Telegram webhooks and /healthz; the runtime starts in its lifespan."""

from __future__ import annotations

import asyncio
import gc
import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import Engine, func, text
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from handlers.clock import Clock
from models.db import read_scope
from models.messaging.tables import OutboxMessage

TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # no update or event a platform sends comes near this
PROBE_TIMEOUT = 5.0  # seconds /healthz waits for the database before it answers "unreachable"
Endpoint = Callable[[Request], Awaitable[Response]]
log = logging.getLogger(__name__)


class BadBody(Exception):
    """A request refused before anything is parsed or stored: answered with `status`, logged in one line."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status


async def _body(request: Request) -> bytes:
    """The request's body, refused with 413 past MAX_BODY (by its declared length, or as it arrives)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise BadBody(413, f"a body of {declared} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise BadBody(413, "a body over the limit")
    request._body = body  # Starlette's own cache: later readers (Bolt) get the same bytes
    return body


def _refusing(endpoint: Endpoint) -> Endpoint:
    async def guarded(request: Request) -> Response:
        try:
            return await endpoint(request)
        except BadBody as problem:
            log.warning("refused %s %s: %s (%s)", request.method, request.url.path, problem, problem.status)
            return Response(status_code=problem.status)

    return guarded


def build_app(settings: Settings, *, clock: Clock | None = None, tick_seconds: int = 20) -> Starlette:
    runtime = build_runtime(settings, clock=clock)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await runtime.start(tick_seconds=tick_seconds)
        # What start-up made (modules, mappers, the platforms' clients: some 175,000 objects) lives as long as
        # the process: the cyclic garbage collector no longer walks it, so a full collection while serving pauses
        # every request for 15–45 ms instead of 100–200 ms.
        gc.freeze()
        try:
            yield
        finally:
            await runtime.stop()

    routes = [Route("/healthz", _healthz(runtime), methods=["GET"])]
    if runtime.slack is not None and runtime.settings.slack_signing_secret is not None:  # Socket Mode needs none
        routes.append(Route("/slack/events", _refusing(_slack_events(runtime)), methods=["POST"]))
    if runtime.telegram is not None:
        routes.append(Route("/telegram/webhook", _refusing(_telegram_webhook(runtime)), methods=["POST"]))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.runtime = runtime
    return app


def _telegram_webhook(runtime: Runtime) -> Endpoint:
    from telegram import Update

    secret = runtime.settings.telegram_webhook_secret
    expected = secret.get_secret_value().encode() if secret is not None else None

    async def telegram_webhook(request: Request) -> Response:
        """403 without the right secret (compared in constant time); 413 too big, 400 not an update; otherwise
        processed, then 200."""
        given = request.headers.get(TELEGRAM_SECRET_HEADER, "").encode()
        if expected is None or not hmac.compare_digest(given, expected):
            raise BadBody(403, "no or wrong secret token")
        if not runtime.telegram_up:  # Telegram sends it again later
            raise BadBody(503, "telegram is not connected yet")
        data = _json_object(await _body(request))
        if not isinstance(data.get("update_id"), int):
            raise BadBody(400, "no update_id")
        try:
            update = Update.de_json(data, runtime.telegram.bot if runtime.telegram else None)
        except (TypeError, ValueError, KeyError, AttributeError) as problem:
            raise BadBody(400, f"not an update ({type(problem).__name__})") from None
        assert runtime.telegram is not None
        await runtime.telegram.process_update(update)
        return Response(status_code=200)

    return telegram_webhook


def _slack_events(runtime: Runtime) -> Endpoint:
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_sdk.signature import SignatureVerifier

    assert runtime.slack is not None
    assert runtime.settings.slack_signing_secret is not None
    handler = AsyncSlackRequestHandler(runtime.slack)
    verifier = SignatureVerifier(runtime.settings.slack_signing_secret.get_secret_value())

    async def slack_events(request: Request) -> Response:
        """413 too big, 401 unsigned or stale (checked here, before anything is parsed), 400 a signed body that is
        neither JSON nor a form with a JSON payload; the rest is Bolt's."""
        body = await _body(request)
        stamp, signature = (
            request.headers.get("X-Slack-Request-Timestamp", ""),
            request.headers.get("X-Slack-Signature", ""),
        )
        if not (stamp.isdigit() and signature and verifier.is_valid(body, stamp, signature)):
            raise BadBody(401, "unsigned, or a stale or wrong signature")
        if request.headers.get("content-type", "").startswith("application/json"):
            _json_object(body)
        else:
            form = parse_qs(body.decode("utf-8", "replace"))
            if "payload" in form:
                _json_object(form["payload"][0].encode())
            elif "command" not in form:
                raise BadBody(400, "neither an event, an action nor a command")
        return await handler.handle(request)

    return slack_events


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadBody(400, "not JSON") from None
    if not isinstance(data, dict):
        raise BadBody(400, "JSON, but not an object")
    return data


def _healthz(runtime: Runtime) -> Endpoint:
    probing: list[asyncio.Future[tuple[int, int, str]]] = []  # the probe under way, if any: every caller shares it

    async def healthz(_request: Request) -> JSONResponse:
        """The database, the enabled platforms and the outbox backlog. The database is asked on a thread of
        asyncio's own, so a probe never holds up the event loop (nor waits behind messages); one probe at a time,
        however often it is asked, and "unreachable" (503) when the database has not answered in
        `PROBE_TIMEOUT` — a database that hangs holds one thread and one connection, not one per request."""
        if not probing or probing[0].done():
            probing[:] = [asyncio.ensure_future(asyncio.to_thread(_probe, runtime.engine))]
        try:
            backlog, dead, database = await asyncio.wait_for(asyncio.shield(probing[0]), PROBE_TIMEOUT)
        except TimeoutError:
            backlog, dead, database = -1, -1, "unreachable"
        body = {
            "database": database,
            "telegram": ("up" if runtime.telegram_up else "down") if runtime.telegram is not None else "off",
            "slack": runtime.slack is not None,
            "outbox_backlog": backlog,
            "outbox_dead": dead,
            "dispatching": runtime.leadership.held,
        }
        return JSONResponse(body, status_code=200 if database == "ok" else 503)

    return healthz


def _probe(engine: Engine) -> tuple[int, int, str]:
    """The outbox's pending and dead rows, and "ok"; (-1, -1, "unreachable") when the database does not answer."""
    try:
        with read_scope(engine) as session:  # a probe never waits for, nor holds, the write lock
            session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            counted = select(func.count()).select_from(OutboxMessage)
            backlog = session.exec(counted.where(OutboxMessage.status == "pending")).one()
            dead = session.exec(counted.where(OutboxMessage.status == "dead")).one()
    except Exception:
        return -1, -1, "unreachable"
    return backlog, dead, "ok"
