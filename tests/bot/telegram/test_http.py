"""PTB's Bot over our aiohttp transport, against a small Bot API server in the test's own loop: what the calls
carry, one kept-alive connection, and the errors PTB expects when the API is slow or gone."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import BodyPartReader, web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.telegram.http import AiohttpRequest
from tests.bot.fakes.telegram_api import BOT

TOKEN = "123:abc"
CHAT = {"id": 7, "type": "private", "first_name": "Maria"}
PROXY_VARIABLES = [f"{kind}{suffix}" for kind in ("http_", "https_", "all_", "no_") for suffix in ("proxy", "PROXY")]


@dataclass
class Api:
    url: str
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    peers: set[tuple[str, int]] = field(default_factory=set)
    stall: asyncio.Event = field(default_factory=asyncio.Event)  # set: answer nothing until the test ends


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    served = Api(f"http://127.0.0.1:{listening.getsockname()[1]}/bot")
    never = asyncio.Event()

    async def method(request: web.Request) -> web.Response:
        served.peers.add(request.transport.get_extra_info("peername") if request.transport else ("?", 0))
        if served.stall.is_set():
            await never.wait()
        fields: dict[str, Any] = {}
        if request.content_type == "multipart/form-data":
            async for part in await request.multipart():
                assert isinstance(part, BodyPartReader)
                content = await part.read()
                kind = part.headers.get("Content-Type")
                fields[part.name or ""] = (part.filename, content, kind) if part.filename else content.decode()
        else:
            fields = dict(await request.post())
        if request.match_info["method"] == "getMe":  # `async with Bot` asks who it is first
            return web.json_response({"ok": True, "result": BOT})
        if request.match_info["method"] == "getUpdates":  # a long poll: an update comes a moment later
            served.calls.append(("getUpdates", fields))
            await asyncio.sleep(0.3)  # the poll's wait, not a synchronisation
            text = {"message_id": 5, "date": 0, "chat": CHAT, "text": "hola"}
            return web.json_response({"ok": True, "result": [{"update_id": 1, "message": text}]})
        served.calls.append((request.match_info["method"], fields))
        message = {"message_id": len(served.calls), "date": 0, "chat": CHAT, "text": "ok"}
        return web.json_response({"ok": True, "result": message})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", method)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.SockSite(runner, listening)
    await site.start()
    try:
        yield served
    finally:
        never.set()
        await runner.cleanup()


async def test_a_message_carries_its_text_and_buttons_and_comes_back_as_a_message(api: Api) -> None:
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("Send", callback_data="cv:send")]])
    async with Bot(TOKEN, base_url=api.url, request=AiohttpRequest(timeout=5)) as bot:
        sent = await bot.send_message(7, "¿Necesitas flotante?", reply_markup=buttons)
    assert (sent.message_id, sent.chat_id) == (1, 7)
    name, fields = api.calls[0]
    assert name == "sendMessage"
    assert (fields["chat_id"], fields["text"]) == ("7", "¿Necesitas flotante?")
    assert json.loads(fields["reply_markup"]) == {"inline_keyboard": [[{"text": "Send", "callback_data": "cv:send"}]]}


async def test_a_file_goes_as_multipart_with_its_name_and_type(api: Api) -> None:
    async with Bot(TOKEN, base_url=api.url, request=AiohttpRequest(timeout=5)) as bot:
        await bot.send_document(7, b"week,fill rate\n48,0.9\n", filename="digest.csv", caption="Week 48")
    name, fields = api.calls[0]
    assert name == "sendDocument"
    assert (fields["caption"], fields["chat_id"]) == ("Week 48", "7")
    filename, content, kind = fields["document"]
    assert (filename, content) == ("digest.csv", b"week,fill rate\n48,0.9\n")
    assert kind == "text/csv"


async def test_calls_go_through_the_proxy_the_environment_names(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY names the test's server, and the Bot API's host does not exist: the call arrives only by the
    proxy (a proxy is sent the whole URL, which the test's server routes by its path)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", api.url.removesuffix("/bot"))
    async with Bot(TOKEN, base_url="http://bot-api.invalid/bot", request=AiohttpRequest(timeout=5)) as bot:
        await bot.send_message(7, "por el proxy")
    assert api.calls == [("sendMessage", {"chat_id": "7", "text": "por el proxy"})]


async def test_with_no_proxy_named_a_host_that_does_not_exist_is_a_network_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(NetworkError):
        async with Bot(TOKEN, base_url="http://bot-api.invalid/bot", request=AiohttpRequest(timeout=5)):
            pass


async def test_calls_one_after_another_keep_one_connection(api: Api) -> None:
    async with Bot(TOKEN, base_url=api.url, request=AiohttpRequest(timeout=5)) as bot:
        for n in range(5):
            await bot.send_message(7, f"reply {n}")
    assert len(api.calls) == 5  # and getMe before them
    assert len(api.peers) == 1, api.peers


async def test_a_long_poll_waits_its_own_timeout_on_top_of_the_read_timeout(api: Api) -> None:
    """PTB adds the poll's `timeout` to the request's read timeout: a long poll answered after 0.3 s is not cut
    off by a 0.1 s read timeout."""
    request = AiohttpRequest(timeout=0.1)
    assert request.read_timeout == 0.1  # what PTB adds the poll's timeout to
    async with Bot(TOKEN, base_url=api.url, request=request) as bot:
        updates = await bot.get_updates(timeout=5)
    assert [(u.update_id, u.message.text if u.message else None) for u in updates] == [(1, "hola")]
    assert api.calls[0][1]["timeout"] == "5"


async def test_an_api_that_does_not_answer_in_time_is_a_timeout(api: Api) -> None:
    async with Bot(TOKEN, base_url=api.url, request=AiohttpRequest(timeout=60)) as bot:
        api.stall.set()
        with pytest.raises(TimedOut):
            async with asyncio.timeout(10):  # the call's own 0.2 s, not the request's 60 s
                await bot.send_message(7, "hello", read_timeout=0.2)


async def test_an_api_that_is_not_there_is_a_network_error() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    request = AiohttpRequest(timeout=5)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await Bot(TOKEN, base_url=f"http://127.0.0.1:{closed.getsockname()[1]}/bot", request=request).send_message(
                7, "hello"
            )
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()
        closed.close()


async def test_a_call_before_initialize_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest(timeout=5).do_request("http://127.0.0.1:9/bot/getMe", "POST")


@pytest.mark.parametrize("webhook", ["https://bot.example.org/telegram/webhook", None])
def test_serve_builds_its_telegram_bot_on_this_transport(webhook: str | None, tmp_path: Path) -> None:
    from bot.runtime import build_runtime
    from bot.settings import Settings

    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        telegram_bot_token=TOKEN,
        telegram_webhook_url=webhook,
        telegram_webhook_secret="s3cret" if webhook else None,
    )
    runtime = build_runtime(settings)
    try:
        assert runtime.telegram is not None
        assert isinstance(runtime.telegram.bot.request, AiohttpRequest)
        assert (runtime.telegram.updater is None) == (webhook is not None)  # polling without a webhook
    finally:
        runtime.engine.dispose()


async def test_serve_stopping_before_telegram_ever_answered_closes_its_connections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.runtime import build_runtime
    from bot.settings import Settings

    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))  # bound, never listening
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        telegram_bot_token=TOKEN,
        telegram_api_base_url=f"http://127.0.0.1:{refused.getsockname()[1]}/bot",
    )
    runtime = build_runtime(settings)
    assert runtime.telegram is not None
    request = runtime.telegram.bot.request
    assert isinstance(request, AiohttpRequest)
    opened = asyncio.Event()  # its first try at Telegram opened the session
    initialize = AiohttpRequest.initialize

    async def noted(self: AiohttpRequest) -> None:
        await initialize(self)
        opened.set()

    monkeypatch.setattr(AiohttpRequest, "initialize", noted)
    await runtime.start(tick_seconds=3600)
    try:
        async with asyncio.timeout(10):
            await opened.wait()
        assert not request.closed
    finally:
        await runtime.stop()
        refused.close()
    assert request.closed
