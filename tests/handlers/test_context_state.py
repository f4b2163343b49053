"""Where a person is in a flow, as a step sees it: read once per transaction, never a state a savepoint undid."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from handlers.bus import bus
from handlers.context import Ctx
from handlers.contract import Incoming
from models.db import session_scope
from models.messaging.conversations import get_state
from models.roster.tables import Person
from tests.dialog import Dialog


@contextmanager
def _reads_from(demo: Dialog, table: str, *, verb: str = "SELECT") -> Iterator[list[str]]:
    """The SELECTs from `table` run inside the block (with `verb="INSERT"`: the INSERTs into it)."""
    reads: list[str] = []
    names = f"FROM {table}" if verb == "SELECT" else f"INTO {table} "

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith(verb) and names in statement:
            reads.append(statement)

    event.listen(demo.engine, "before_cursor_execute", count)
    try:
        yield reads
    finally:
        event.remove(demo.engine, "before_cursor_execute", count)


def _ctx_of(demo: Dialog, session: Session, name: str) -> Ctx:
    person = session.exec(select(Person).where(col(Person.name).startswith(name))).one()
    incoming = Incoming("console", f"u{person.id}", f"u{person.id}", demo.clock.now(), text="hi")
    return Ctx(session, demo.clock, demo.core.config, bus, person, incoming)


def test_the_state_is_read_once_and_follows_what_the_step_stores(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        ctx = _ctx_of(demo, session, "Alice")
        with _reads_from(demo, "conversation") as reads:
            assert ctx.state() is None
            assert ctx.state() is None
            ctx.goto("lang", "ask_language", {"n": 1})
            state = ctx.state()
            assert state is not None
            assert (state.flow, state.step, state.data) == ("lang", "ask_language", {"n": 1})
            assert ctx.end_flow()
            assert ctx.state() is None
            assert not ctx.end_flow()
        assert len(reads) == 1  # the first look only; what the step stored it knows
        assert get_state(session, person_id=ctx.person_id, chat_key=ctx.chat_key) is None


@pytest.mark.twin
def test_a_savepoint_rolled_back_undoes_the_state_the_step_sees(demo: Dialog) -> None:
    with session_scope(demo.engine) as session:
        ctx = _ctx_of(demo, session, "Alice")
        ctx.goto("lang", "ask_language")
        try:
            with session.begin_nested():
                assert ctx.end_flow()
                ctx.goto("cover", "ask_day")
                assert ctx.state() is not None
                raise RuntimeError("the step failed")
        except RuntimeError:
            pass
        state = ctx.state()
        assert state is not None
        assert (state.flow, state.step) == ("lang", "ask_language")
        try:
            with session.begin_nested():
                assert ctx.end_flow()
                raise RuntimeError("the step failed")
        except RuntimeError:
            pass
        state = ctx.state()
        assert state is not None
        assert (state.flow, state.step) == ("lang", "ask_language")


def test_a_request_reads_her_sites_rooms_once_and_a_savepoint_reads_them_afresh(demo: Dialog) -> None:
    with _reads_from(demo, "room") as reads:
        summary = demo.as_("Alice").says("need a floater tomorrow 8-12 toddler room planning")
        assert "Please check your request" in summary[-1].text  # parsed with the rooms, the room found in them
        assert len(reads) == 1  # parsing, the room and the summary share one read
        with session_scope(demo.engine) as session:
            ctx = _ctx_of(demo, session, "Alice")
            calls: list[int] = []

            def read(value: int) -> Callable[[], int]:
                def it() -> int:
                    calls.append(value)
                    return value

                return it

            assert ctx.once("k", read(1)) == 1
            assert ctx.once("k", read(2)) == 1
            with session.begin_nested():
                assert ctx.once("k", read(3)) == 3  # a savepoint may undo: read again
            assert ctx.once("k", read(4)) == 1
            assert calls == [1, 3]


def test_a_send_reads_neither_its_new_shift_nor_its_offers_back(demo: Dialog) -> None:
    alice = demo.as_("Alice")
    summary = alice.says("need a floater tomorrow 8-12 toddler room planning")
    with (
        _reads_from(demo, "shift") as shifts,
        _reads_from(demo, "offer") as offers,
        _reads_from(demo, "offer", verb="INSERT") as inserts,
    ):
        alice.core.handle(
            Incoming(
                "console",
                alice.who,
                "c" + alice.who[1:],
                demo.clock.now(),
                payload=summary[-1].press("Send"),
                event_id="send-1",
            )
        )
    sent = demo.new_messages()
    assert any("Sent!" in message.text for message in sent)
    assert any("Can you cover" in message.text for message in sent)
    assert [s for s in shifts if "shift.request_id, shift.site_id" in s] == [], shifts  # the request made it
    assert offers == []  # new offers go in, and who was asked comes back, in one statement
    assert len(inserts) == 1, inserts  # for all the floaters asked (not one INSERT each)


def test_a_command_word_typed_without_its_slash_is_not_read_as_a_request_first(demo: Dialog) -> None:
    """ "help" is the command at once: the text is not parsed against her site's rooms on the way."""
    demo.as_("Alice")
    with _reads_from(demo, "room") as reads:
        assert "teacher (Sunflower Center · Butterflies)" in demo.says("help")[0].text
    assert reads == []
    with _reads_from(demo, "room") as reads:  # a request is read against them, once
        demo.says("need a floater tomorrow 8-12")
    assert len(reads) == 1


def test_where_she_is_comes_with_her_and_is_not_read_again(demo: Dialog) -> None:
    """Her conversation state in the chat she writes from is read by the same query as she is: an answer in
    the middle of a flow reads no conversation row of its own, and the flow goes on from there."""
    assert demo.as_("Alice").says("/floater")[0].text.startswith("Which day do you need cover?")
    with _reads_from(demo, "conversation") as reads:
        answer = demo.says("tomorrow")[0].text
    assert reads == []
    assert answer.startswith("What times?")  # the next step: the day was taken
    with _reads_from(demo, "conversation") as reads:  # the flow still knows where she is
        assert demo.says("/cancel")[0].text != "There is nothing to cancel right now."
    assert reads == []
