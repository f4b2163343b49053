"""Another feature listens to cover: its subscriber runs inside the same transaction as the change."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import select

from handlers.bus import bus
from handlers.context import Ctx
from handlers.contract import Reply, tell
from handlers.cover.events import ShiftCancelled, ShiftFilled
from handlers.i18n import verbatim
from handlers.service import Core
from models.cover.tables import Offer, OfferStatus, Shift, ShiftStatus
from models.db import session_scope
from models.messaging.tables import InboxEvent
from tests.dialog import Dialog, only, to


def committed_status(engine: Engine, shift_id: int) -> str:
    """The shift's status as another connection sees it: only what has been committed. (A plain engine: ours
    begins SQLite transactions IMMEDIATE, which would wait for the writer this test is inside of.)"""
    reader = create_engine(engine.url)
    try:
        with reader.connect() as connection:
            query = text("SELECT status FROM shift WHERE id = :id")
            return str(connection.execute(query, {"id": shift_id}).scalar())
    finally:
        reader.dispose()


def listening(demo: Dialog, listeners: Core) -> Dialog:
    return Dialog(listeners, demo.engine, demo.clock)


def ask(demo: Dialog) -> int:
    demo.as_("Alice").says("need a floater tomorrow 8-12 planning")
    demo.presses("cv:send")
    with session_scope(demo.engine) as session:
        return session.exec(select(Shift.id)).one() or 0


@pytest.mark.twin
def test_a_subscriber_sees_the_fill_and_the_cancel_before_anyone_else_and_adds_its_messages(demo: Dialog) -> None:
    seen: list[tuple[str, str, str]] = []
    ours = bus.copy()

    @ours.subscribe(ShiftFilled)
    def on_filled(ctx: Ctx, event: ShiftFilled) -> list[Reply]:
        inside = ctx.session.get(Shift, event.shift_id)
        assert inside is not None
        seen.append(("filled", inside.status, committed_status(demo.engine, event.shift_id)))
        return [tell(event.floater_id, verbatim("(the other feature says thanks too)"))]

    @ours.subscribe(ShiftCancelled)
    def on_cancelled(ctx: Ctx, event: ShiftCancelled) -> list[Reply]:
        inside = ctx.session.get(Shift, event.shift_id)
        assert inside is not None
        seen.append(("cancelled", inside.status, committed_status(demo.engine, event.shift_id)))
        return []

    dialog = listening(demo, Core(demo.engine, demo.clock, demo.core.config, bus=ours))
    shift_id = ask(dialog)
    accepted = dialog.as_("Emma").presses(f"acc:{shift_id}")
    assert [m.text for m in to(accepted, "Emma")][-1] == "(the other feature says thanks too)"
    dialog.as_("Alice").presses(f"cxy:{shift_id}")
    # Inside the change the subscriber reads the new state; outside, nothing was committed yet.
    assert seen == [("filled", "filled", "open"), ("cancelled", "cancelled", "filled")]


@pytest.mark.twin
def test_a_subscriber_that_fails_rolls_the_accept_back(demo: Dialog) -> None:
    ours = bus.copy()

    @ours.subscribe(ShiftFilled)
    def broken(ctx: Ctx, event: ShiftFilled) -> list[Reply]:
        raise RuntimeError("the other feature is broken")

    dialog = listening(demo, Core(demo.engine, demo.clock, demo.core.config, bus=ours))
    shift_id = ask(dialog)
    dialog.new_messages()
    with pytest.raises(RuntimeError):
        dialog.as_("Emma").presses(f"acc:{shift_id}", event_id="tg-42")
    with session_scope(demo.engine) as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None
        assert (shift.status, shift.floater_id) == (ShiftStatus.OPEN, None)
        assert {o.status for o in session.exec(select(Offer)).all()} == {OfferStatus.SENT}
        assert session.exec(select(InboxEvent).where(InboxEvent.event_id == "tg-42")).all() == []  # a retry may run
    assert dialog.new_messages() == []  # no confirmation, no "is coming": nothing went out
    # With the feature mended, the platform's retry of the same press works.
    dialog.core = demo.core
    assert only(to(dialog.presses(f"acc:{shift_id}", event_id="tg-42"), "Emma")).text.startswith("Confirmed")
