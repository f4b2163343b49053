"""The console chat: one line in, the bot's replies out; `/as`, `/who`, `/clock`, `/quit` belong to the host."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine

from bot.console.outbox import HUB, ConsolePrinter
from handlers import names
from handlers.clock import ManualClock
from handlers.contract import Incoming
from handlers.labels import role_label
from handlers.service import Core
from models.db import read_scope, session_scope
from models.roster import people
from models.roster.tables import Person
from models.roster.vocab import Platform

BUTTON = re.compile(r"^#\s*(\d+)$")  # `#1`: press the first button
CLOCK_STEP = re.compile(r"^\+(\d+)\s*([mhd])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def ensure_console_accounts(engine: Engine, at: datetime) -> None:
    """In the console you may act as anyone: every person gets a console account (their id)."""
    with session_scope(engine) as session:
        for person in people.people_by_name(session):
            assert person.id is not None
            people.link_account(
                session,
                person_id=person.id,
                platform=Platform.console.value,
                platform_user_id=str(person.id),
                chat_id=str(person.id),
                at=at,
            )


@dataclass
class ConsoleChat:
    core: Core
    clock: ManualClock
    engine: Engine
    out: Console
    tick: Callable[[datetime], int]  # move the clock to this time, running due work on the way
    current: Person | None = None
    echo: bool = False  # print each line read, so a piped session reads as a transcript
    files_dir: Path | None = None  # where the files people are sent are written

    def __post_init__(self) -> None:
        self.printer = ConsolePrinter(self.engine, self.clock, self.out, files_dir=self.files_dir)

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            if not self.feed(line.strip()):
                break

    def feed(self, line: str) -> bool:
        """Handle one line; False when the person asked to quit."""
        if not line:
            return True
        if self.echo:
            self.out.print(f"{self.prompt()}{line}", style="bold", markup=False, highlight=False)
        command, _sep, rest = line.partition(" ")
        host = {"/quit": None, "/exit": None, "/as": self.switch, "/who": self.who, "/clock": self.move_clock}
        if command.lower() in host:
            action = host[command.lower()]
            if action is None:
                return False
            action(rest.strip())
            return True
        self.send(line)
        return True

    def send(self, line: str) -> None:
        if self.current is None:
            self.out.print("Pick someone first: /as NAME (see /who).", markup=False)
            return
        assert self.current.id is not None
        payload = self._button(line)
        if payload is None and BUTTON.match(line):
            self.out.print(f"There is no button {line.replace(' ', '')} on the latest messages.", markup=False)
            return
        incoming = Incoming(
            platform=Platform.console.value,
            user_id=str(self.current.id),
            chat_id=str(self.current.id),
            at=self.clock.now(),
            text=None if payload else line,
            payload=payload,
        )
        self.core.handle(incoming)
        self.printer.drain(self.current.id)

    def _button(self, line: str) -> str | None:
        """`#2` presses button 2 of the newest messages with buttons (Hub staff: her own or the Hub channel's,
        whichever came last). A plain number is never a button: it is typed text, such as a survey answer."""
        chosen = BUTTON.match(line)
        if chosen is None or self.current is None or self.current.id is None:
            return None
        keys = [self.current.id, *([HUB] if "hub" in self.current.role_names else [])]
        live = max(keys, key=lambda key: self.printer.updated.get(key, 0))
        shown = self.printer.buttons.get(live, [])
        number = int(chosen.group(1))
        return shown[number - 1][1] if 1 <= number <= len(shown) else None

    def prompt(self) -> str:
        first = self.current.name.split()[0] if self.current is not None else ""
        return f"{first}> "

    def switch(self, name: str) -> None:
        """`/as NAME`: act as another person; a unique prefix of any part of the name is enough."""
        with read_scope(self.engine) as session:
            everyone = people.people_by_name(session)
        matches = names.matching(everyone, name)
        if not name or len(matches) != 1:
            found = ", ".join(p.name for p in matches) if matches else "nobody"
            self.out.print(f"/as needs one person; '{name}' matches {found}. See /who.", markup=False)
            return
        self.current = matches[0]
        self.out.print(f"You are now {self._describe(self.current)}.", style="bold green", markup=False)
        self.printer.drain(self.current.id)

    def who(self, _rest: str = "") -> None:
        """`/who`: the roster, one person a line."""
        with read_scope(self.engine) as session:
            for person in people.people_by_name(session):
                marker = "*" if self.current and person.id == self.current.id else " "
                self.out.print(f"{marker} {self._describe(person)}", markup=False, highlight=False)

    def move_clock(self, arg: str) -> None:
        """`/clock` shows the simulated time; `/clock +2h` or `/clock 2026-12-03T06:00` moves it, running each due
        task as of its own time on the way (a reminder due at 18:00 goes out as of 18:00)."""
        zone = self.core.config.zone
        if arg:
            try:
                until = self._target(arg)
            except ValueError as problem:
                self.out.print(f"Could not move the clock: {problem}", markup=False)
                return
            ran = self.tick(until)
            self.printer.drain(self.current.id if self.current else None)
            if ran:
                self.out.print(f"({ran} due task(s) ran)", style="dim", markup=False)
        local = self.clock.now().astimezone(zone)
        self.out.print(f"Simulated time: {local:%A %Y-%m-%d %H:%M} ({zone.key})", markup=False)

    def _target(self, arg: str) -> datetime:
        """Where `/clock ARG` moves the clock: `+2h`, `+1d`, `+30m`, or a date and time (never back)."""
        step = CLOCK_STEP.match(arg.replace(" ", ""))
        if step:
            return self.clock.now() + timedelta(**{UNITS[step.group(2)]: int(step.group(1))})
        when = datetime.fromisoformat(arg)
        when = when if when.tzinfo else when.replace(tzinfo=self.core.config.zone)
        if when < self.clock.now():
            raise ValueError("time only moves forward")
        return when

    def _describe(self, person: Person) -> str:
        roles = ", ".join(role_label(r).render("en") for r in sorted(person.role_names))
        place = " · ".join(
            x for x in (person.site.name if person.site else "", person.room.name if person.room else "") if x
        )
        return f"{person.name} — {roles}" + (f" ({place})" if place else "") + f" [{person.language}]"
