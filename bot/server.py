"""The ASGI app of `serve`: Slack and Telegram webhooks and /healthz; the runtime starts in its lifespan."""

from __future__ import annotations

import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import func, text
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from handlers.clock import Clock
from models.db import session_scope
from models.messaging.tables import OutboxMessage

TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
Endpoint = Callable[[Request], Awaitable[Response]]


def build_app(settings: Settings, *, clock: Clock | None = None, tick_seconds: int = 20) -> Starlette:
    runtime = build_runtime(settings, clock=clock)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await runtime.start(tick_seconds=tick_seconds)
        try:
            yield
        finally:
            await runtime.stop()

    routes = [Route("/healthz", _healthz(runtime), methods=["GET"])]
    if runtime.slack is not None:  # each platform's library is imported only when it is configured
        from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

        slack_handler = AsyncSlackRequestHandler(runtime.slack)

        async def slack_events(request: Request) -> Response:
            return await slack_handler.handle(request)

        routes.append(Route("/slack/events", slack_events, methods=["POST"]))
    if runtime.telegram is not None:
        routes.append(Route("/telegram/webhook", _telegram_webhook(runtime), methods=["POST"]))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.runtime = runtime
    return app


def _telegram_webhook(runtime: Runtime) -> Endpoint:
    from telegram import Update

    secret = runtime.settings.telegram_webhook_secret
    expected = secret.get_secret_value().encode() if secret is not None else None

    async def telegram_webhook(request: Request) -> Response:
        """403 without the right secret (compared in constant time); otherwise processed, then 200."""
        given = request.headers.get(TELEGRAM_SECRET_HEADER, "").encode()
        if expected is None or not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        try:
            data = json.loads(await request.body())
        except ValueError:
            return Response(status_code=400)
        assert runtime.telegram is not None
        await runtime.telegram.process_update(Update.de_json(data, runtime.telegram.bot))
        return Response(status_code=200)

    return telegram_webhook


def _healthz(runtime: Runtime) -> Endpoint:
    async def healthz(_request: Request) -> JSONResponse:
        """The database, the enabled platforms and the outbox backlog."""
        try:
            with session_scope(runtime.engine) as session:
                session.exec(text("SELECT 1"))  # type: ignore[call-overload]
                backlog = session.exec(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
                ).one()
                dead = session.exec(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "dead")
                ).one()
            database = "ok"
        except Exception:
            backlog, dead, database = -1, -1, "unreachable"
        body = {
            "database": database,
            "telegram": runtime.telegram is not None,
            "slack": runtime.slack is not None,
            "outbox_backlog": backlog,
            "outbox_dead": dead,
            "dispatching": runtime.leadership.held,
        }
        return JSONResponse(body, status_code=200 if database == "ok" else 503)

    return healthz
