"""The HTTP app as configured: Slack by Socket Mode alone needs no signing secret and gets no /slack/events."""

from __future__ import annotations

from pathlib import Path

from bot.server import build_app
from bot.settings import Settings


def test_slack_by_socket_mode_only_builds_without_a_signing_secret(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'socket.db'}",
        slack_bot_token="xoxb-socket",
        slack_app_token="xapp-socket",
    )
    app = build_app(settings)
    paths = {getattr(route, "path", "") for route in app.routes}
    assert paths == {"/healthz"}
    app.state.runtime.engine.dispose()
