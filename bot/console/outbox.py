"""The console's dispatcher: prints pending outbox rows, naming the recipient when it is not you."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine

from handlers.clock import Clock
from models.db import session_scope
from models.messaging import outbox
from models.messaging.tables import OutboxKind
from models.roster.tables import Person

HUB = 0  # the key of the Hub channel's buttons (person ids start at 1)


@dataclass
class ConsolePrinter:
    engine: Engine
    clock: Clock
    out: Console
    # The buttons last shown to each person (by id), so "1" presses the first one after an /as switch too.
    buttons: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # the live buttons, per recipient
    updated: dict[int, int] = field(default_factory=dict)  # the newest message id each recipient's buttons came with
    files_dir: Path | None = None  # where files sent with messages are written (calendar files, digest tables)

    def drain(self, current_person_id: int | None) -> int:
        """Print and mark sent every pending message; returns how many were printed."""
        now = self.clock.now()
        with session_scope(self.engine) as session:
            # In the order they were written: the console shows a conversation, not a rate-limited queue.
            rows = sorted(outbox.pending(session, now=now, limit=1000), key=lambda row: row.id or 0)
            shown: dict[int, list[tuple[str, str]]] = {}  # buttons numbered across this batch, per recipient
            for row in rows:
                assert row.id is not None
                if row.kind != OutboxKind.MESSAGE:  # a Home tab or command menu: the console has neither
                    outbox.mark_sent(session, message_id=row.id, at=now, platform_message_id="console")
                    continue
                name = None
                if row.to_hub:
                    name = "Hub channel"
                elif row.person_id is not None and row.person_id != current_person_id:
                    person = session.get(Person, row.person_id)
                    name = person.name if person else f"person {row.person_id}"
                buttons = [(label, payload) for label, payload in row.buttons]
                key = HUB if row.to_hub else (row.person_id or HUB)
                first = len(shown.get(key, [])) + 1
                self._print(row.text, buttons, name, edited=row.edit_of_id is not None, first=first)
                for file_name, content in outbox.files_of(session, message_id=row.id):
                    self.out.print(f"  📎 {self._keep(row.id, file_name, content)}", markup=False, highlight=False)
                # The newest messages' buttons are the live ones: a later message without buttons ends them.
                shown.setdefault(key, []).extend(buttons)
                self.buttons[key] = shown[key]
                self.updated[key] = row.id
                outbox.mark_sent(session, message_id=row.id, at=now, platform_message_id="console")
            return sum(row.kind == OutboxKind.MESSAGE for row in rows)

    def _keep(self, message_id: int, name: str, content: bytes) -> str:
        """Write the file where a person can open it; what to print for it."""
        if self.files_dir is None:
            return f"{name} ({len(content) // 1024 + 1} KB)"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / f"{message_id}-{name}"
        path.write_bytes(content)
        return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)

    def _print(
        self, text: str, buttons: list[tuple[str, str]], recipient: str | None, *, edited: bool, first: int = 1
    ) -> None:
        if edited:
            text = "✎ " + text  # on Telegram and Slack this replaces the earlier message
        if recipient is None:
            self.out.print(text, markup=False, highlight=False)
        else:
            self.out.print(f"→ {recipient}:", style="bold cyan", markup=False, highlight=False)
            self.out.print("  " + text.replace("\n", "\n  "), style="cyan", markup=False, highlight=False)
        for number, (label, _payload) in enumerate(buttons, start=first):
            self.out.print(f"  [#{number}] {label}", style="bold", markup=False, highlight=False)
