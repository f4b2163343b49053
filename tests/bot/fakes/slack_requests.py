"""Requests as Slack sends them: a DM event, a button press, and the v0 signature over them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
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


def slack_headers(body: str, content_type: str, secret: str, *, age: float = 0) -> dict[str, str]:
    stamp = str(int(time.time() - age))
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
