"""The ASGI app of `serve`: /healthz now; the platform webhooks mount here too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import func, text
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.cli.common import core_config
from bot.settings import Settings
from handlers.clock import SystemClock
from models.db import make_engine, session_scope, upgrade
from models.messaging import OutboxMessage
from scheduler.service import start_ticker
from scheduler.ticker import tick


def build_app(settings: Settings) -> Starlette:
    engine = make_engine(settings.database_url)
    clock, config = SystemClock(), core_config(settings)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        upgrade(settings.database_url)
        ticker = start_ticker(lambda: tick(engine, clock, config))
        try:
            yield
        finally:
            ticker.shutdown(wait=False)
            engine.dispose()

    async def healthz(_request: Request) -> JSONResponse:
        try:
            with session_scope(engine) as session:
                session.exec(text("SELECT 1"))  # type: ignore[call-overload]
                backlog = session.exec(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
                ).one()
            database = "ok"
        except Exception:
            backlog, database = -1, "unreachable"
        body = {
            "database": database,
            "telegram": settings.telegram_enabled,
            "slack": settings.slack_enabled,
            "outbox_backlog": backlog,
        }
        return JSONResponse(body, status_code=200 if database == "ok" else 503)

    return Starlette(routes=[Route("/healthz", healthz)], lifespan=lifespan)
