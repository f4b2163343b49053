"""The slack-bolt AsyncApp: DMs, mentions, one slash command and button actions go to the core."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.offload import Offload
from bot.settings import Settings
from bot.slack.home import register_home
from bot.slack.modals import register_modals
from bot.slack.translate import COMMAND, from_action, from_command, from_message, in_view
from handlers.contract import Incoming
from handlers.errors import APOLOGY
from handlers.service import Core

log = logging.getLogger(__name__)


def build_slack_app(settings: Settings, core: Core, *, on_handled: Callable[[], None], offload: Offload) -> AsyncApp:
    assert settings.slack_bot_token is not None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_base_url,
        timeout=int(max(1, settings.platform_timeout_seconds)),
    )
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = AsyncApp(client=client, signing_secret=secret, process_before_response=True)
    emails: dict[str, str | None] = {}
    zones: dict[str, str | None] = {}  # each user's own `tz`, read with her e-mail
    locales: dict[str, str | None] = {}  # and her `locale` (an unlinked account's Home tab speaks it)
    dms: dict[str, str] = {}

    async def email_of(user_id: str) -> str | None:
        """The Slack profile's e-mail (to link by the roster), looked up once per user, her zone and locale with
        it."""
        if user_id not in emails:
            try:
                info = await client.users_info(user=user_id, include_locale=True)
                zones[user_id], locales[user_id] = info["user"].get("tz"), info["user"].get("locale")
                emails[user_id] = info["user"].get("profile", {}).get("email")
            except Exception:
                log.warning("could not read the Slack profile of %s", user_id)
                return None
        return emails[user_id]

    async def zone_of(user_id: str) -> str | None:
        await email_of(user_id)
        return zones.get(user_id)

    async def locale_of(user_id: str) -> str | None:
        await email_of(user_id)
        return locales.get(user_id)

    async def dm_of(user_id: str) -> str:
        """Her DM with the bot (a press on the Home tab is answered there), opened once per user; her user id
        (which Slack also posts to as her DM) when it cannot be opened."""
        if user_id not in dms:
            try:
                opened = await client.conversations_open(users=user_id)
                dms[user_id] = str(opened["channel"]["id"])
            except Exception:
                log.warning("could not open the Slack DM of %s", user_id)
                return user_id
        return dms[user_id]

    async def handle(incoming: Incoming | None) -> None:
        if incoming is None:
            return
        # Her profile's zone, and its locale as the language hint (what Telegram's language_code is there).
        incoming = replace(incoming, timezone=zones.get(incoming.user_id), language_hint=locales.get(incoming.user_id))
        try:
            await offload(core.handle, incoming)
        except Exception:
            log.exception("Slack event failed: %r", incoming)
            await _apologise(client, incoming.chat_id)  # directly: nothing was written to send
        else:
            on_handled()

    @app.event("message")
    async def on_message(event: dict[str, Any], body: dict[str, Any]) -> None:
        await handle(
            from_message(event, body.get("event_id"), core.clock.now(), await email_of(str(event.get("user", ""))))
        )

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], body: dict[str, Any]) -> None:
        await handle(
            from_message(event, body.get("event_id"), core.clock.now(), await email_of(str(event.get("user", ""))))
        )

    register_modals(  # before /alliance: its bare forms
        app, core, client, handle=handle, email_of=email_of, zone_of=zone_of, on_handled=on_handled, offload=offload
    )

    @app.command(COMMAND)
    async def on_command(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        email = await email_of(str(command["user_id"]))
        await handle(from_command(command, core.clock.now(), email, commands=core.registry.commands.keys()))

    @app.action(re.compile(r"^b\d+(\.\d+)?$"))  # b3, or b3.1 on the Home tab (a section's buttons)
    async def on_action(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        user = str(body["user"]["id"])
        dm = await dm_of(user) if in_view(body) else None
        await handle(from_action(body, action, core.clock.now(), await email_of(user), dm=dm))

    register_home(app, core, client, email_of=email_of, zone_of=zone_of, locale_of=locale_of, offload=offload)
    return app


def share_connections(app: AsyncApp) -> aiohttp.ClientSession:
    """One aiohttp session, and its pool of kept-alive connections, for every Web API call of this process (a
    call of slack_sdk's client without one opens a session, and a connection, of its own and closes it after;
    Bolt's per-request clients take the app client's). Called in the running event loop; closed at shutdown."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=app.client.timeout))
    app.client.session = session
    return session


async def _apologise(client: AsyncWebClient, channel: str) -> None:
    try:
        await client.chat_postMessage(channel=channel, text=APOLOGY.render("en"))
    except Exception:
        log.exception("could not apologise in %s", channel)
