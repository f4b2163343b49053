"""Requests as Slack sends them: a DM event, a button press, and the v0 signature over them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

JSON, FORM = "application/json", "application/x-www-form-urlencoded"


def dm_event(user: str, text: str, event_id: str) -> tuple[str, str]:
    """A direct message to the bot (the DM channel is D + the user id, as the fake Web API answers)."""
    event = {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "channel": "D" + user[1:],
        "text": text,
        "ts": f"{time.time():.6f}",
    }
    return event_callback(event, event_id)


def event_callback(event: Mapping[str, object], event_id: str) -> tuple[str, str]:
    """The Events API's envelope around one event, as Slack posts it."""
    body = {
        "token": "t",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event": event,
        "event_id": event_id,
        "event_time": int(time.time()),
    }
    return json.dumps(body), JSON


def button_press(user: str, payload: str, serial: int) -> tuple[str, str]:
    """A block_actions payload for a button of a message in the user's DM."""
    channel = "D" + user[1:]
    action = {"type": "button", "action_id": "b0", "block_id": "x", "value": payload, "action_ts": f"{serial}.1"}
    body = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "trigger_id": f"tr{serial}",
        "channel": {"id": channel},
        "container": {"type": "message", "message_ts": f"1700.{serial}", "channel_id": channel},
        "actions": [action],
    }
    return urlencode({"payload": json.dumps(body)}), FORM


def slash_command(user: str, text: str, serial: int, *, channel: str | None = None) -> tuple[str, str]:
    """`/alliance TEXT` typed in the user's DM (or `channel`), with the trigger a modal needs."""
    body = {
        "token": "t",
        "team_id": "T1",
        "api_app_id": "A1",
        "command": "/alliance",
        "text": text,
        "user_id": user,
        "channel_id": channel or "D" + user[1:],
        "trigger_id": f"tr{serial}",
        "response_url": "https://hooks.example/x",
    }
    return urlencode(body), FORM


def home_press(user: str, action_id: str, serial: int, *, value: str = "", view_id: str = "VHOME") -> tuple[str, str]:
    """A button of the user's Home tab (no channel: the view is hers), carrying `value` (a chat button's payload)."""
    action = {"type": "button", "action_id": action_id, "block_id": "h", "value": value, "action_ts": f"{serial}.1"}
    body = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "trigger_id": f"tr{serial}",
        "container": {"type": "view", "view_id": view_id},
        "view": {"id": view_id, "type": "home"},
        "actions": [action],
    }
    return urlencode({"payload": json.dumps(body)}), FORM


def view_submission(user: str, view: dict[str, Any], picked: dict[str, str]) -> tuple[str, str]:
    """The modal `view` (as views.open got it, with its id) submitted with `picked` values by block id; each
    widget's state in Slack's shape (selected_date, selected_time, selected_option)."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        element, value = block["element"], picked.get(block["block_id"])
        kind = element["type"]
        if kind == "datepicker":
            state: dict[str, Any] = {"type": kind, "selected_date": value}
        elif kind == "timepicker":
            state = {"type": kind, "selected_time": value}
        else:
            option = next((o for o in element["options"] if o["value"] == value), None)
            state = {"type": kind, "selected_option": option or ({"value": value} if value else None)}
        values[block["block_id"]] = {element["action_id"]: state}
    submitted = {**view, "state": {"values": values}, "hash": "h1"}
    body = {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": user}, "api_app_id": "A1"}
    return urlencode({"payload": json.dumps({**body, "view": submitted})}), FORM


def slack_headers(body: str, content_type: str, secret: str, *, age: float = 0) -> dict[str, str]:
    stamp = str(int(time.time() - age))
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def home_opened(user: str, event_id: str, *, tab: str = "home") -> tuple[str, str]:
    """She opens the app's Home tab (or another `tab`)."""
    event = {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": tab, "event_ts": "1.1"}
    return event_callback(event, event_id)
