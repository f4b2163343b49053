"""`alliance-bot serve`: the HTTP server, the outbox dispatcher and the scheduler."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from bot.cli.common import load_settings
from bot.server import build_app


def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8080,
) -> None:
    """Run the webhooks (Slack, Telegram), /healthz, the dispatcher and the scheduler."""
    settings = load_settings()
    uvicorn.run(build_app(settings), host=host, port=port, log_level="info")
