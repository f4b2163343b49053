"""`alliance-bot serve`: the HTTP server, the outbox dispatcher and the scheduler."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
import uvicorn

from bot.cli.common import database, load_settings, shown
from bot.offload import longer_turns
from bot.server import build_app


def serve(
    host: Annotated[str, typer.Option("--host", metavar="HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="Port to listen on.")] = 8080,
) -> None:
    """Run the webhooks (Slack, Telegram), /healthz, the dispatcher and the scheduler."""
    settings = load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("httpx", "apscheduler"):  # a line per API call and per tick: only their warnings
        logging.getLogger(chatty).setLevel(logging.WARNING)
    typer.echo(f"database: {shown(settings.database_url)}", err=True)  # it runs until stopped: say it first
    database(settings.database_url, said=True)  # migrated now, or refused in one line (its start finds it done)
    longer_turns()
    uvicorn.run(build_app(settings), host=host, port=port, log_level="info")
