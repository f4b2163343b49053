"""Slack modals for the core's forms (handlers/forms.py): a Form becomes a Block Kit view, a view_submission
becomes its values, and the core's field errors go back as `response_action: errors`.

`/alliance floater` with nothing after it, or the Home tab's [Request cover], opens the cover form; `/alliance
slots` (or [New session] on Home) the supervisor's. Anyone the core will not show the form to gets the chat's
answer instead, as if she had typed the command.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.offload import Offload
from bot.slack.translate import COMMAND, slash
from handlers.contract import Incoming
from handlers.errors import APOLOGY
from handlers.forms import Field, FieldKind
from handlers.forms_unit import Shown
from handlers.service import Core
from models.roster.vocab import Platform

log = logging.getLogger(__name__)
MAX_TITLE = 24  # Slack's limit for a modal's title and its buttons
MAX_OPTION = 75
MAX_OPTIONS = 100
HOME_ACTIONS = {"home:request_cover": "floater", "home:publish_slot": "slots"}

Handle = Callable[[Incoming | None], Awaitable[None]]


def register_modals(
    app: AsyncApp,
    core: Core,
    client: AsyncWebClient,
    *,
    handle: Handle,
    email_of: Callable[[str], Awaitable[str | None]],
    zone_of: Callable[[str], Awaitable[str | None]],
    on_handled: Callable[[], None],
    offload: Offload,
) -> None:
    """The listeners for forms; register before the general `/alliance` one, which gets every other command."""

    async def open_form(user: str, channel: str, word: str, trigger_id: str) -> None:
        """Open the form the command word stands for, or let the chat answer her (`/floater` typed)."""
        name = core.registry.form_for(word)
        at = core.clock.now()
        who = Incoming(Platform.slack.value, user, channel, at, private=channel.startswith("D"))
        shown = await offload(core.form, who, name) if name else None
        if shown is None:  # the chat answers (and links her first, when her profile's e-mail is on the roster)
            email = await email_of(user)
            await handle(
                Incoming(
                    Platform.slack.value, user, channel, at, text=f"/{word}", event_id=f"form:{trigger_id}", email=email
                )
            )
            return
        await client.views_open(trigger_id=trigger_id, view=view(shown, channel))

    async def wants_form(body: dict[str, Any]) -> bool:
        text = str(body.get("text", "")).strip()
        return " " not in text and core.registry.form_for(text) is not None

    @app.command(COMMAND, matchers=[wants_form])
    async def on_form_command(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        text = str(command["text"]).strip().lstrip("/")
        await open_form(str(command["user_id"]), str(command["channel_id"]), text, str(command["trigger_id"]))

    @app.action(re.compile(r"^home:(request_cover|publish_slot)$"))
    async def on_home_button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        user = str(body["user"]["id"])
        await open_form(user, user, HOME_ACTIONS[str(action["action_id"])], str(body["trigger_id"]))

    @app.view(re.compile(r"^form:"))
    async def on_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        name, user = str(view["callback_id"]).removeprefix("form:"), str(body["user"]["id"])
        channel = str(json.loads(view.get("private_metadata") or "{}").get("channel") or user)
        values = values_of(view)
        incoming = Incoming(
            Platform.slack.value,
            user,
            channel,
            core.clock.now(),
            event_id=submission_id(view, values),
            private=channel.startswith("D") or channel == user,
            timezone=await zone_of(user),
        )
        try:
            errors = await offload(core.submit, incoming, name, values)
        except Exception:
            log.exception("Slack form %s failed for %s", name, user)
            errors = {"": APOLOGY.render("en")}
        if errors:
            await ack(response_action="errors", errors=on_blocks(view, errors))
        else:
            await ack()
            on_handled()


def view(shown: Shown, channel: str) -> dict[str, Any]:
    """The modal: one input block per field (block and action ids are the field's name)."""
    form = shown.form
    return {
        "type": "modal",
        "callback_id": f"form:{form.name}",
        "title": _plain(shown.text(form.title), MAX_TITLE),
        "submit": _plain(shown.text(form.submit), MAX_TITLE),
        "private_metadata": json.dumps({"channel": channel}),
        "blocks": [_input(shown, f) for f in form.fields],
    }


def _input(shown: Shown, field: Field) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.name,
        "label": _plain(shown.text(field.label), 2000),
        "element": _element(shown, field),
        "optional": field.optional,
    }
    if field.hint is not None:
        block["hint"] = _plain(shown.text(field.hint), 2000)
    return block


def _element(shown: Shown, field: Field) -> dict[str, Any]:
    element: dict[str, Any] = {"action_id": field.name}
    if field.kind == FieldKind.DATE:
        element["type"] = "datepicker"
        if field.initial:
            element["initial_date"] = field.initial
    elif field.kind == FieldKind.TIME:
        element["type"] = "timepicker"
        if field.initial:
            element["initial_time"] = field.initial
    else:
        options = [
            {"text": _plain(shown.text(o.label), MAX_OPTION), "value": o.value} for o in field.options[:MAX_OPTIONS]
        ]
        element |= {"type": "static_select", "options": options}
        chosen = next((o for o in options if o["value"] == field.initial), None)
        if chosen is not None:
            element["initial_option"] = chosen
    return element


def values_of(view: Mapping[str, Any]) -> dict[str, str]:
    """The submitted value of each input ("" when left empty), whatever its widget."""
    values: dict[str, str] = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        for state in actions.values():
            selected = state.get("selected_option") or {}
            raw = state.get("selected_date") or state.get("selected_time") or selected.get("value") or ""
            values[str(block_id)] = str(raw)
    return values


def submission_id(view: Mapping[str, Any], values: Mapping[str, str]) -> str:
    """The same view submitted twice with the same values (a double click, a retry) is one event."""
    digest = hashlib.sha256(json.dumps(sorted(values.items())).encode()).hexdigest()[:16]
    return f"view:{view.get('id', '')}:{digest}"


def on_blocks(view: Mapping[str, Any], errors: Mapping[str, str]) -> dict[str, str]:
    """Each error on its field's block (our commands as Slack users type them); one that names no field of this
    view goes on the first."""
    blocks = [str(b.get("block_id")) for b in view.get("blocks", []) if b.get("type") == "input"]
    placed: dict[str, str] = {}
    for name, said in errors.items():
        message = slash(said)
        block = name if name in blocks else (blocks[0] if blocks else name)
        placed[block] = f"{placed[block]} {message}" if block in placed else message
    return placed


def _plain(text: str, limit: int) -> dict[str, str]:
    return {"type": "plain_text", "text": slash(text)[:limit]}
