"""Slack ↔ the neutral contract: events, commands and actions become Incoming; replies become Block Kit."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from handlers.contract import HomeView, Incoming
from handlers.linking import LINK_WORDS, SHARE_CONTACT
from handlers.registry import registry
from models.roster.vocab import Platform

COMMAND = "/alliance"  # the app's one slash command (docs/slack-app-manifest.yml)
MAX_SECTION = 3000
MAX_BUTTON_TEXT = 75
BUTTONS_PER_BLOCK = 25
MAX_VIEW_BLOCKS = 100
FORM_PREFIX = "home:"  # a Home button that opens a modal (home:request_cover, home:publish_slot)


def from_message(event: Mapping[str, Any], event_id: str | None, at: datetime, email: str | None) -> Incoming | None:
    """A direct message or a mention; the bot's own messages and edits are not for us."""
    if event.get("bot_id") or event.get("subtype") or not event.get("user"):
        return None
    if event.get("type") == "message" and event.get("channel_type") != "im":
        return None  # in channels the bot listens only when mentioned
    text = " ".join(word for word in str(event.get("text", "")).split() if not word.startswith("<@"))
    channel = str(event["channel"])
    return Incoming(
        Platform.slack.value,
        str(event["user"]),
        channel,
        at,
        text=text,
        event_id=event_id,
        email=email,
        private=_dm(channel),
    )


def from_command(command: Mapping[str, Any], at: datetime, email: str | None, *, commands: Collection[str]) -> Incoming:
    """`/alliance help` is `/help` — any registered command (`commands`: the core's registry, in both languages);
    `/alliance floater tomorrow 8-12` is free text."""
    words = str(command.get("text", "")).strip()
    first = words.split(" ", 1)[0].lower().lstrip("/")
    words = words.lstrip("/")
    text = f"/{words}" if _ours(first, commands) else (words or "/help")
    return Incoming(
        Platform.slack.value,
        str(command["user_id"]),
        str(command["channel_id"]),
        at,
        text=text,
        event_id=f"cmd:{command.get('trigger_id', '')}",
        email=email,
        private=_dm(str(command["channel_id"])),
    )


def from_action(
    body: Mapping[str, Any], action: Mapping[str, Any], at: datetime, email: str | None, *, dm: str | None = None
) -> Incoming:
    """A button press. One on the Home tab comes from a view, with no channel: `dm` is her DM with the bot, where
    the answer goes; its event id is the view's and the press's, so a retried delivery is handled once."""
    container = body.get("container", {})
    channel = body.get("channel", {}).get("id") or container.get("channel_id", "") or dm or ""
    if in_view(body):
        view_id = container.get("view_id") or body.get("view", {}).get("id", "")
        event_id = f"act:view:{view_id}:{action.get('action_ts', '')}"
    else:
        event_id = f"act:{container.get('message_ts', '')}:{action.get('action_ts', '')}"
    return Incoming(
        Platform.slack.value,
        str(body["user"]["id"]),
        str(channel),
        at,
        payload=str(action.get("value", "")),
        event_id=event_id,
        email=email,
        private=_dm(str(channel)),
    )


def in_view(body: Mapping[str, Any]) -> bool:
    """A press on a view (the Home tab), which has no channel to answer in."""
    return body.get("container", {}).get("type") == "view" or ("view" in body and not body.get("channel", {}).get("id"))


def _ours(word: str, commands: Collection[str]) -> bool:
    """A registered command, or one of the words that link an account (`/alliance link CODE`)."""
    return word in commands or f"/{word}" in LINK_WORDS


def _dm(channel: str) -> bool:
    """Slack's direct-message conversations have ids starting with D; channels C, private channels G."""
    return channel.startswith("D")


_MENTION = re.compile(r"(?<![\w/.:])/([a-záéíóúñ_]+)")


def slash(text: str) -> str:
    """Our commands as Slack users type them: `/requests` → `/alliance requests` (in Slack a message starting with
    "/" is a Slack command, so `/requests` would never reach us). Only registered names; links, and what is
    quoted between backticks, are left alone."""

    def name(match: re.Match[str]) -> str:
        word = match.group(1)
        return f"{COMMAND} {word}" if _ours(word, registry.commands) else match.group(0)

    parts = text.split("`")  # what is between backticks is quoted as it stands (another platform's way)
    return "`".join(part if n % 2 else _MENTION.sub(name, part) for n, part in enumerate(parts))


def blocks(text: str, buttons: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Sections of text (our commands as Slack users type them), then the buttons (the phone-number button is
    Telegram's alone)."""
    text = slash(text)
    result: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(text[i : i + MAX_SECTION])}}
        for i in range(0, max(len(text), 1), MAX_SECTION)
    ]
    elements = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": label[:MAX_BUTTON_TEXT]},
            "value": payload,
            "action_id": f"b{n}",
        }
        for n, (label, payload) in enumerate(buttons)
        if payload != SHARE_CONTACT
    ]
    for i in range(0, len(elements), BUTTONS_PER_BLOCK):
        result.append({"type": "actions", "elements": elements[i : i + BUTTONS_PER_BLOCK]})
    return result


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def home_view(view: HomeView) -> dict[str, Any]:
    """The Home tab as Block Kit: each section's text, its buttons under it (action ids unique in the view), a
    divider between sections; Slack takes at most 100 blocks."""
    result: list[dict[str, Any]] = []
    for number, section in enumerate(view.sections):
        if number:
            result.append({"type": "divider"})
        for block in blocks(section.text, section.buttons):
            if block["type"] == "actions":
                for element in block["elements"]:
                    element["action_id"] = home_action_id(element["value"], element["action_id"], number)
            result.append(block)
    return {"type": "home", "blocks": result[:MAX_VIEW_BLOCKS]}


def home_action_id(payload: str, button: str, section: int) -> str:
    """A Home button's action id: `b<n>.<section>`, pressed like the chat's (app.py); one whose payload starts
    with `home:` opens a Slack form, and its action id is the payload, which that form's handler listens for."""
    return payload if payload.startswith(FORM_PREFIX) else f"{button}.{section}"
