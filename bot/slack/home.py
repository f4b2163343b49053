"""The Home tab: opened, it is drawn for her at once and published (`views.publish`).

Published straight away rather than through the outbox: she is looking at the tab now, and an outbox row would
wait out the throttle of the last redraw (a change of hers in the last seconds) and the dispatcher's round. Later
changes redraw it through the outbox (handlers/home/republish.py), so nothing that changes after this is missed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.offload import Offload
from bot.slack.translate import home_view
from handlers.home.account import home_of_account, unlinked
from handlers.i18n import normalise_language
from handlers.service import Core
from models.roster.vocab import Platform

log = logging.getLogger(__name__)
SLACK = Platform.slack.value
Profile = Callable[[str], Awaitable[str | None]]  # a Slack user id → a field of her profile (users.info, cached)


def register_home(
    app: AsyncApp,
    core: Core,
    client: AsyncWebClient,
    *,
    email_of: Profile,
    zone_of: Profile,
    locale_of: Profile,
    offload: Offload,
) -> None:
    """`app_home_opened` on the Home tab publishes her view (an account whose profile's e-mail is on the roster is
    linked first, and her profile's zone kept); an unlinked account's says how to link, in the language of her
    Slack locale."""

    @app.event("app_home_opened")
    async def on_home_opened(event: dict[str, Any]) -> None:
        user = str(event.get("user", ""))
        if event.get("tab", "home") != "home" or not user:
            return  # the Messages or About tab: nothing to draw
        try:
            email, zone = await email_of(user), await zone_of(user)
            drawn = await offload(
                home_of_account,
                core.engine,
                core.clock,
                core.config,
                platform=SLACK,
                user_id=user,
                email=email,
                timezone=zone,
            )
            if drawn is None:
                drawn = unlinked(SLACK, normalise_language(await locale_of(user)))
            await client.views_publish(user_id=user, view=home_view(drawn))
        except Exception:
            log.exception("could not publish the Home tab of %s", user)
