"""A small fake of the Slack Web API: auth.test, users.info, chat.postMessage, chat.update, views.open/update,
views.publish (the Home tab), conversations.open."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.bot.fakes.recorder import Recorder


def fake_slack(
    recorder: Recorder,
    emails: Mapping[str, str],
    zones: Mapping[str, str] | None = None,
    locales: Mapping[str, str] | None = None,
) -> Starlette:
    """`emails`, `zones` (IANA names) and `locales` are the users' Slack profiles; a user without a zone gets New
    York's; the locale is told only when asked for (`include_locale`)."""
    counter = {"ts": 0}

    async def method(request: Request) -> JSONResponse:
        name = request.path_params["method"]
        params = await _params(request)
        if request.client is not None:
            recorder.connections.add((request.client.host, request.client.port))
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
                    {"ok": False, "error": "ratelimited"}, status_code=429, headers={"Retry-After": str(int(value))}
                )
            if kind == "slow":
                await asyncio.sleep(value)
            return JSONResponse({"ok": False, "error": "internal_error"}, status_code=500)
        recorder.record(name, params, "ok", at=arrived)
        if name == "auth.test":
            return JSONResponse({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "alliance"})
        if name == "users.info":
            user = str(params.get("user"))
            tz = (zones or {}).get(user, "America/New_York")
            found = {"id": user, "tz": tz, "profile": {"email": emails.get(user, "")}}
            if params.get("include_locale") in (True, "true", "1", 1) and user in (locales or {}):
                found["locale"] = (locales or {})[user]
            return JSONResponse({"ok": True, "user": found})
        if name in ("views.open", "views.update"):
            return _view(params, counter)
        if name in HOME_METHODS:
            return JSONResponse(_home_answer(name, params))
        if name in ("chat.postMessage", "chat.update"):
            channel = str(params["channel"])
            channel = "D" + channel[1:] if channel.startswith("U") else channel  # a user id opens the DM
            counter["ts"] += 1
            return JSONResponse(
                {"ok": True, "channel": channel, "ts": params.get("ts") or f"1700000000.{counter['ts']:06}"}
            )
        if name == "files.getUploadURLExternal":
            counter["ts"] += 1
            upload = f"{str(request.base_url).rstrip('/')}/upload/F{counter['ts']}"
            return JSONResponse({"ok": True, "upload_url": upload, "file_id": f"F{counter['ts']}"})
        if name == "files.completeUploadExternal":
            return JSONResponse(
                {"ok": True, "files": [{"id": f["id"]} for f in json.loads(str(params.get("files", "[]")))]}
            )
        if name == "chat.postEphemeral":
            return JSONResponse({"ok": True, "message_ts": "1700000000.999999"})
        return JSONResponse({"ok": True})

    async def upload(request: Request) -> JSONResponse:
        recorder.record("upload", {"file_id": request.path_params["file_id"], "size": len(await request.body())}, "ok")
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route("/api/{method}", method, methods=["GET", "POST"]),
            Route("/upload/{file_id}", upload, methods=["POST"]),
        ]
    )


def _view(params: dict[str, Any], counter: dict[str, int]) -> JSONResponse:
    """A modal opened (it needs the trigger of the user's click) or updated (its id): echoed with its id."""
    if "trigger_id" not in params and "view_id" not in params:
        return JSONResponse({"ok": False, "error": "invalid_trigger_id"})
    view = params.get("view") or {}
    view = json.loads(view) if isinstance(view, str) else dict(view)
    counter["ts"] += 1
    return JSONResponse({"ok": True, "view": {**view, "id": params.get("view_id") or f"V{counter['ts']:06}"}})


HOME_METHODS = ("views.publish", "conversations.open")


def _home_answer(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """views.publish answers with the view it now shows; conversations.open with the DM (D + the user id)."""
    if method == "views.publish":
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        return {"ok": True, "view": {"id": f"V{params.get('user_id', '')}", **(view or {})}}
    user = str(params.get("users", ""))
    return {"ok": True, "channel": {"id": "D" + user[1:]}}


async def _params(request: Request) -> dict[str, Any]:
    if request.method == "GET":
        return dict(request.query_params)
    body = (await request.body()).decode()
    if request.headers.get("content-type", "").startswith("application/json"):
        return dict(json.loads(body or "{}"))
    params: dict[str, Any] = dict(request.query_params)  # slack-sdk sends some methods' arguments in the URL
    for key, value in parse_qsl(body, keep_blank_values=True):
        try:
            params[key] = json.loads(value) if key == "blocks" else value
        except ValueError:
            params[key] = value
    return params
