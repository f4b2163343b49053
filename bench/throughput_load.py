"""bench/throughput.py's load: the people who write (signed webhook POSTs as each platform sends them), a run's
timings, and the shapes of load (people chatting at their pace, or flat out)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from throughput_servers import SLACK_SECRET, TG_SECRET

from tests.bot.fakes.slack_requests import button_press, dm_event, slack_headers

STEPS = ("request", "send", "help")
TIMEOUT = 60.0


@dataclass
class Platform:
    name: str  # telegram | slack
    path: str

    def chat(self, teacher: int) -> str:
        return f"tg:{teacher}" if self.name == "telegram" else f"sl:D{teacher}"

    def request(self, teacher: int, step: str, text: str, serial: int) -> tuple[dict[str, str], str]:
        """The signed webhook POST of one step (headers, body), as the platform sends it."""
        if self.name == "slack":
            if step == "send":
                body, kind = button_press(f"U{teacher}", "cv:send", serial)
            else:
                body, kind = dm_event(f"U{teacher}", text if step == "request" else "help", f"Ev{serial}")
            return slack_headers(body, kind, SLACK_SECRET), body
        user = {"id": teacher, "is_bot": False, "first_name": "T", "language_code": "en"}
        chat = {"id": teacher, "type": "private"}
        update: dict[str, Any] = {"update_id": serial}
        if step == "send":
            message = {"message_id": 1, "date": int(time.time()), "chat": chat, "text": "…"}
            update["callback_query"] = {
                "id": f"q{serial}",
                "from": user,
                "chat_instance": "c",
                "data": "cv:send",
                "message": message,
            }
        else:
            update["message"] = {
                "message_id": serial,
                "date": int(time.time()),
                "chat": chat,
                "from": user,
                "text": text if step == "request" else "/help",
            }
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        return headers, json.dumps(update)


@dataclass
class Run:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # step → ms
    replies: int = 0
    seconds: float = 0.0
    people: int = 0
    cpu_seconds: float = 0.0  # of the server process
    rest_cpu_seconds: float = 0.0  # of the fakes and of this process, which makes the load
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.replies / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_reply(self) -> float:
        return self.cpu_seconds / self.replies * 1000 if self.replies else math.nan

    @property
    def every(self) -> list[float]:
        return [ms for values in self.latencies.values() for ms in values]


SERIAL = iter(range(10**6, 10**9))


async def load(
    bot_urls: list[str], fakes_url: str, platform: Platform, chats: int, people: list[int], text: str, spec: Load
) -> Run:
    """For `spec.seconds`: `chats` people chatting, each reading a reply `spec.think` seconds before she answers
    (then the next person); or, `spec.flat`, `chats` POSTs in flight at any moment, each from a person whose last
    reply came at least `spec.think` seconds ago (her next step) or else from a new person. A step is over when its
    reply arrived at the fake; its latency is that arrival minus the POST's start. The POSTs go to `bot_urls` in
    turn (one server, or replicas behind a balancer)."""
    run = Run()
    ready: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
    fresh = iter(people)
    seen: dict[int, int] = {}
    loop = asyncio.get_running_loop()
    # Idle connections are dropped well before uvicorn's 5 s keep-alive ends, or a POST may meet a closing one.
    limits = httpx.Limits(max_connections=chats + 10, max_keepalive_connections=chats + 10, keepalive_expiry=4)
    turns = itertools.count()
    async with contextlib.AsyncExitStack() as clients:
        bots = [
            await clients.enter_async_context(httpx.AsyncClient(base_url=url, timeout=TIMEOUT, limits=limits))
            for url in bot_urls
        ]
        fakes = await clients.enter_async_context(
            httpx.AsyncClient(base_url=fakes_url, timeout=TIMEOUT + 5, limits=limits)
        )

        async def arrivals(chat: str, n: int) -> list[float]:
            return list((await fakes.get("/_wait", params={"chat": chat, "n": n})).json())

        async def worker() -> None:
            mine: tuple[int, int] | None = None  # her next step, when she is not handed on
            while time.monotonic() < deadline:
                try:
                    item = mine or ready.get_nowait()
                except asyncio.QueueEmpty:
                    teacher = next(fresh, None)
                    if teacher is None:
                        run.failures.append("ran out of people: raise --sites or lower --seconds")
                        return
                    chat = platform.chat(teacher)
                    seen[teacher] = len(await arrivals(chat, 0))
                    run.people += 1
                    item = (teacher, 0)
                teacher, index = item
                mine = None
                chat, step = platform.chat(teacher), STEPS[index]
                headers, body = platform.request(teacher, step, text, next(SERIAL))
                began = time.monotonic()
                try:
                    bot = bots[next(turns) % len(bots)]
                    response = await bot.post(platform.path, content=body, headers=headers)
                    if response.status_code != 200:
                        run.failures.append(f"{chat} {step}: HTTP {response.status_code}")
                        continue
                    times = await arrivals(chat, seen[teacher] + 1)
                except httpx.TransportError as problem:
                    run.failures.append(f"{chat} {step}: {problem!r}")
                    continue
                if len(times) <= seen[teacher]:
                    run.failures.append(f"{chat} {step}: no reply in {TIMEOUT:.0f} s")
                    continue
                run.latencies[step].append((times[seen[teacher]] - began) * 1000)
                run.replies += 1
                seen[teacher] += 1
                if index + 1 == len(STEPS):
                    continue
                if spec.flat:  # she reads, then answers; meanwhile this chat slot serves someone else
                    loop.call_later(spec.think, ready.put_nowait, (teacher, index + 1))
                else:
                    await asyncio.sleep(spec.think)  # she reads, then answers: the load's shape, not a wait for it
                    mine = (teacher, index + 1)

        began = time.monotonic()
        deadline = began + spec.seconds
        await asyncio.gather(*(worker() for _ in range(chats)))
        run.seconds = time.monotonic() - began
    return run


@dataclass(frozen=True)
class Load:
    seconds: float
    think: float
    flat: bool  # `chats` POSTs always in flight, or `chats` people each with her own pace


WARM = Load(1, 0, flat=True)


def slots(after: date) -> Iterator[str]:
    """Shifts no request of the bench has asked for yet: one-hour slots on the days ahead, this year's only (a
    day in another year makes the request stop to confirm its year)."""
    day = after
    while True:
        day += timedelta(days=1)
        if day.year != after.year:
            raise SystemExit("out of days this year: run the bench with fewer runs, or after New Year")
        for hours in ("8-9", "9-10", "10-11", "11-12", "12-1", "1-2", "2-3", "3-4"):
            yield f"need a floater on {day:%B} {day.day} {hours} planning"
