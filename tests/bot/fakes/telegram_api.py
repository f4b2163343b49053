"""A small fake of the Telegram Bot API: enough of getMe, sendMessage, editMessageText, answerCallbackQuery and
setMyCommands (its commands and scope recorded as the JSON objects they are)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from email.parser import BytesParser
from email.policy import default
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.bot.fakes.recorder import Recorder

BOT = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Alliance",
    "username": "alliance_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
JSON_FIELDS = ("reply_markup", "allowed_updates", "commands", "scope")


def fake_telegram(recorder: Recorder) -> Starlette:
    counter = {"message_id": 100}

    async def method(request: Request) -> JSONResponse:
        name = request.path_params["method"]
        params = await _params(request)
        arrived = time.monotonic()  # a call is recorded as of its arrival, even when it is answered late
        fault = recorder.next_fault(name)
        if fault is not None and fault[0] == "late":  # slow, but it does arrive: the caller may time out first
            await asyncio.sleep(fault[1])
            fault = None
        if fault is not None:
            kind, value = fault
            recorder.record(name, params, kind, at=arrived)
            if kind == "429":
                return JSONResponse(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": {"retry_after": int(value)},
                    },
                    status_code=429,
                )
            if kind == "slow":
                await asyncio.sleep(value)
            return JSONResponse(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"},
                status_code=500 if kind == "500" else 502,
            )
        if name == "setMyCommands" and not _valid_commands(params.get("commands")):
            recorder.record(name, params, "400", at=arrived)
            return JSONResponse(
                {"ok": False, "error_code": 400, "description": "Bad Request: BOT_COMMAND_INVALID"}, 400
            )
        if name in ("sendMessage", "sendPhoto", "sendDocument"):
            counter["message_id"] += 1
            params["_message_id"] = counter["message_id"]  # what the bot is told, to check its later edits
        recorder.record(name, params, "ok", at=arrived)
        if name == "getMe":
            return JSONResponse({"ok": True, "result": BOT})
        if name in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
            message_id = int(params.get("message_id") or params["_message_id"])
            chat_id = int(params["chat_id"])
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "text": params.get("text", ""),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group", "title": "Hub"},
            }
            return JSONResponse({"ok": True, "result": result})
        return JSONResponse({"ok": True, "result": True})  # answerCallbackQuery, setWebhook, setMyCommands …

    return Starlette(routes=[Route("/bot{token}/{method}", method, methods=["GET", "POST"])])


def _valid_commands(commands: object) -> bool:
    """What the Bot API checks: at most 100 commands, each named 1–32 of a-z 0-9 _, described in 1–256."""
    if not isinstance(commands, list) or len(commands) > 100:
        return False
    return all(
        isinstance(c, dict)
        and COMMAND_NAME.fullmatch(str(c.get("command", "")))
        and 1 <= len(str(c.get("description", ""))) <= 256
        for c in commands
    )


async def _params(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return _multipart(request.headers["content-type"], raw)
    body = raw.decode()
    if request.headers.get("content-type", "").startswith("application/json"):
        return dict(json.loads(body or "{}"))
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        try:
            params[key] = json.loads(value) if key in JSON_FIELDS else value
        except ValueError:
            params[key] = value
    return params


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    """Form fields as text; a file as {"filename": …, "size": …} (the standard library parses the MIME)."""
    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name, filename = part.get_param("name", header="content-disposition"), part.get_filename()
        content = part.get_payload(decode=True) or b""
        assert isinstance(content, bytes)
        params[str(name)] = {"filename": filename, "size": len(content)} if filename else content.decode()
    return params
