"""Sending and editing through the Slack Web API, with Slack's errors sorted for the dispatcher."""

from __future__ import annotations

from collections.abc import Awaitable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.dispatch.senders import Delivered, Outgoing, PartlySent, Permanent, RetryLater
from bot.slack.translate import blocks, home_view, slash
from handlers.contract import HomeView, Surface
from models.roster.vocab import Platform

TRANSIENT = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


class SlackSender:
    platform = Platform.slack.value

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, message: Outgoing) -> Delivered:
        if message.ephemeral_user is not None:
            response = await _sorted(
                self.client.chat_postEphemeral(
                    channel=message.chat_id,
                    user=message.ephemeral_user,
                    text=slash(message.text),
                    blocks=blocks(message.text, message.buttons),
                ),
                "chat.postEphemeral",
            )
            return Delivered(str(response.get("message_ts", "")), message.chat_id)
        if message.done == 0:  # part 0: the text with its buttons; part 1: the files, in one upload
            response = await _sorted(
                self.client.chat_postMessage(
                    channel=message.chat_id, text=slash(message.text), blocks=blocks(message.text, message.buttons)
                ),
                "chat.postMessage",
            )
            delivered = Delivered(str(response["ts"]), str(response["channel"]))
        else:
            delivered = Delivered(message.sent_id or "", message.chat_id)
        if message.files:
            uploads = [{"content": content, "filename": name, "title": name} for name, content in message.files]
            try:
                await _sorted(
                    self.client.files_upload_v2(channel=delivered.chat_id, file_uploads=uploads), "files.upload"
                )
            except RetryLater as later:
                raise PartlySent(1, delivered, later) from later  # the text is there: only the files again
        return delivered

    async def edit(self, message: Outgoing) -> None:
        await _sorted(
            self.client.chat_update(
                channel=message.chat_id,
                ts=message.message_id or "",
                text=slash(message.text),
                blocks=blocks(message.text, message.buttons),
            ),
            "chat.update",
        )

    async def show(self, chat_id: str, surface: Surface) -> None:
        """Her Home tab (`chat_id` is her user id: the tab is per user); a command menu is Telegram's."""
        if isinstance(surface, HomeView):
            await _sorted(self.client.views_publish(user_id=chat_id, view=home_view(surface)), "views.publish")


async def _sorted(call: Awaitable[AsyncSlackResponse], method: str) -> AsyncSlackResponse:
    """Await a Web API call; 429 pauses that method for its Retry-After, 5xx and network trouble back off, the
    rest never."""
    try:
        return await call
    except SlackApiError as problem:
        status, error = problem.response.status_code, str(problem.response.get("error", ""))
        if status == 429:
            after = float(problem.response.headers.get("Retry-After", problem.response.headers.get("retry-after", 1)))
            raise RetryLater(
                after, failure=False, reason=f"Slack 429 ratelimited ({method})", pause=method
            ) from problem
        if status >= 500 or error in TRANSIENT:
            raise RetryLater(0, failure=True, reason=f"Slack {status} {error}") from problem
        raise Permanent(f"Slack: {error or status}") from problem
    except (TimeoutError, aiohttp.ClientError, OSError) as trouble:
        raise RetryLater(0, failure=True, reason=f"Slack: {trouble!r}") from trouble
