"""The cover service called directly, as another feature or the CLI would: no chat, only events and rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from handlers.bus import Event, bus
from handlers.context import Ctx
from handlers.contract import Reply
from handlers.cover import service
from handlers.cover.events import (
    OffersClosed,
    OffersSent,
    ShiftCancelled,
    ShiftDeclined,
    ShiftDropped,
    ShiftEscalated,
    ShiftFilled,
    ShiftMoved,
    ShiftRequested,
)
from handlers.errors import UserError
from models.cover.tables import (
    CoverRequest,
    Offer,
    OfferStatus,
    Origin,
    Reason,
    ShiftEvent,
    ShiftEventKind,
    ShiftStatus,
    Tier,
)
from models.db import session_scope
from models.messaging.tables import DueTask
from models.roster.tables import Person, Room
from tests.dialog import Dialog, to

NY = ZoneInfo("America/New_York")
TUESDAY = datetime(2026, 12, 1, tzinfo=NY)  # the day after the tests' Monday-morning start
WEDNESDAY = TUESDAY + timedelta(days=1)


def at(hour: float, day: datetime = TUESDAY) -> datetime:
    return day + timedelta(hours=hour)


@contextmanager
def unit(demo: Dialog) -> Iterator[Ctx]:
    """One unit of work, as a step or task has it; committed when the block ends."""
    with session_scope(demo.engine) as session:
        yield Ctx(session, demo.clock, demo.core.config, bus)


def person(session: Session, name: str) -> int:
    return session.exec(select(Person.id).where(col(Person.name).startswith(name))).one() or 0


def room(session: Session, name: str) -> int:
    return session.exec(select(Room.id).where(Room.name == name)).one() or 0


def taken(ctx: Ctx) -> list[Event]:
    """The events recorded so far (handed over: the test reads them instead of the bus)."""
    events, ctx.events = ctx.events, []
    return events


def butterflies(ctx: Ctx, start: float = 8, end: float = 12, origin: Origin = Origin.HUB) -> int:
    """Cover of Butterflies (toddlers, Sunflower Center) on Tuesday, asked by the Hub for Alice."""
    requested = service.request_cover(
        ctx,
        requester_id=person(ctx.session, "Alice"),
        room_id=room(ctx.session, "Butterflies"),
        windows=[(at(start), at(end))],
        reason=Reason.PLANNING,
        origin=origin,
    )
    return requested.shift_ids[0]


def test_a_request_stores_its_origin_offers_the_favourites_and_sets_its_timers(demo: Dialog) -> None:
    with unit(demo) as ctx:
        shift_id = butterflies(ctx)
        alice, emma = person(ctx.session, "Alice"), person(ctx.session, "Emma")
        request = ctx.session.exec(select(CoverRequest)).one()
        assert taken(ctx) == [
            ShiftRequested(shift_id, request.id or 0, alice, Origin.HUB),
            OffersSent(shift_id, (emma,)),
        ]
        assert request.origin == Origin.HUB
        offer = ctx.session.exec(select(Offer)).one()
        assert (offer.floater_id, offer.tier, offer.status) == (emma, Tier.FAVOURITES, OfferStatus.SENT)
        kinds = sorted(t.kind for t in ctx.session.exec(select(DueTask)).all())
        assert kinds == ["cover.ended", "cover.escalate", "cover.offer_everyone", "cover.started"]


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [(-20, -16, "has already passed"), (12, 8, "end time must be after"), (5, 9, "is open 06:30–18:00")],
)
def test_a_bad_window_is_refused_and_nothing_is_stored(demo: Dialog, start: float, end: float, problem: str) -> None:
    with unit(demo) as ctx:
        with pytest.raises(UserError) as refused:
            butterflies(ctx, start, end)
        assert problem in refused.value.message.render("en")
        assert ctx.session.exec(select(CoverRequest)).all() == []
        assert ctx.events == []


def test_the_first_accept_fills_it_closes_the_other_offers_and_sets_her_reminders(demo: Dialog) -> None:
    with unit(demo) as ctx:
        shift_id = butterflies(ctx)
        service.offer_everyone(ctx, service.get_shift(ctx, shift_id))
        emma, fatima, sofia = (person(ctx.session, n) for n in ("Emma", "Fatima", "Sofía"))
        taken(ctx)
        assert service.accept(ctx, shift_id=shift_id, floater_id=fatima) == service.Accepted.ACCEPTED
        assert taken(ctx) == [
            ShiftFilled(shift_id, fatima, by_hub=False),
            OffersClosed(shift_id, (emma, sofia), OfferStatus.FILLED),
        ]
        assert service.accept(ctx, shift_id=shift_id, floater_id=fatima) == service.Accepted.ALREADY_YOURS
        assert service.accept(ctx, shift_id=shift_id, floater_id=sofia) == service.Accepted.TAKEN
        assert taken(ctx) == []
        shift = service.get_shift(ctx, shift_id)
        assert (shift.status, shift.floater_id, shift.assigned_by_hub) == (ShiftStatus.FILLED, fatima, False)
        reminders = ctx.session.exec(select(DueTask).where(DueTask.kind == "cover.remind")).all()
        assert sorted(t.payload["kind"] for t in reminders) == ["evening", "soon"]


def test_a_fill_the_hub_asked_for_is_counted_as_assigned_by_the_hub_and_asked_once(demo: Dialog) -> None:
    with unit(demo) as ctx:
        shift_id = butterflies(ctx)
        fatima = person(ctx.session, "Fatima")
        taken(ctx)
        assert service.ask_floater(ctx, shift_id=shift_id, floater_id=fatima)
        assert not service.ask_floater(ctx, shift_id=shift_id, floater_id=fatima)  # pressed twice: one offer
        assert taken(ctx) == [OffersSent(shift_id, (fatima,), by_hub=True)]
        service.accept(ctx, shift_id=shift_id, floater_id=fatima)
        assert taken(ctx)[0] == ShiftFilled(shift_id, fatima, by_hub=True)
        assert service.get_shift(ctx, shift_id).assigned_by_hub


def test_when_everyone_declines_it_escalates_once(demo: Dialog) -> None:
    with unit(demo) as ctx:
        shift_id = butterflies(ctx)
        service.offer_everyone(ctx, service.get_shift(ctx, shift_id))
        floaters = [person(ctx.session, n) for n in ("Emma", "Fatima", "Sofía")]
        taken(ctx)
        for floater in floaters:
            assert service.decline(ctx, shift_id=shift_id, floater_id=floater)
        assert not service.decline(ctx, shift_id=shift_id, floater_id=floaters[0])  # already answered
        assert taken(ctx) == [*(ShiftDeclined(shift_id, f) for f in floaters), ShiftEscalated(shift_id)]


def test_cancel_and_drop(demo: Dialog) -> None:
    with unit(demo) as ctx:
        first, second = butterflies(ctx, 8, 10), butterflies(ctx, 13, 15)
        alice, emma = person(ctx.session, "Alice"), person(ctx.session, "Emma")
        service.accept(ctx, shift_id=first, floater_id=emma)
        taken(ctx)
        assert service.cancel(ctx, shift_id=second, by=alice)
        assert not service.cancel(ctx, shift_id=second, by=alice)
        assert taken(ctx) == [
            ShiftCancelled(second, None, alice),
            OffersClosed(second, (emma,), OfferStatus.WITHDRAWN),
        ]
        service.drop(ctx, shift_id=first, floater_id=emma)
        events = taken(ctx)
        assert events[0] == ShiftDropped(first, emma)
        assert isinstance(events[1], OffersSent)
        assert emma not in events[1].floater_ids
        with pytest.raises(UserError):
            service.drop(ctx, shift_id=first, floater_id=emma)  # not hers any more
        kinds = ctx.session.exec(select(ShiftEvent.kind).where(ShiftEvent.shift_id == first)).all()
        assert ShiftEventKind.DROPPED in kinds


def messages_of(ctx: Ctx) -> list[Reply]:
    """What the subscribers send for the events recorded so far."""
    return bus.deliver(ctx)


def test_moving_by_half_an_hour_keeps_a_free_floater_and_tells_her_once(demo: Dialog) -> None:
    with unit(demo) as ctx:
        shift_id = butterflies(ctx)
        emma = person(ctx.session, "Emma")
        service.accept(ctx, shift_id=shift_id, floater_id=emma)
        messages_of(ctx)
        moved = service.move(ctx, shift_id=shift_id, starts_at=at(8.5), ends_at=at(12.5), by=None)
        assert moved == service.Moved(kept=emma)
        assert ctx.events == [ShiftMoved(shift_id, at(8), at(12), by=None, kept=emma)]
        shift = service.get_shift(ctx, shift_id)
        assert (shift.status, shift.floater_id, shift.starts_at) == (ShiftStatus.FILLED, emma, at(8.5))
        told = [r for r in messages_of(ctx) if r.to.person_id == emma]
    assert len(told) == 1
    assert "08:30–12:30. It's still yours" in told[0].lines[0].render("en")
    # Her reminders follow the shift: one the evening before, one shortly before the new start.
    reminders = to(demo.wait(timedelta(days=1, hours=1, minutes=30)), "Emma")
    assert [m.text.splitlines()[0] for m in reminders] == [
        "Reminder: tomorrow you cover Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:30–12:30.",
        "Reminder: soon you cover Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:30–12:30.",
    ]


@pytest.mark.twin
def test_moving_to_a_time_she_is_booked_releases_her_and_offers_it_afresh(demo: Dialog) -> None:
    with unit(demo) as ctx:
        morning, emma = butterflies(ctx, 8, 12), person(ctx.session, "Emma")
        afternoon = service.request_cover(
            ctx,
            requester_id=person(ctx.session, "Chloe"),
            room_id=room(ctx.session, "Sunflowers"),
            windows=[(at(13), at(17))],
            reason=Reason.TRAINING,
            origin=Origin.CLI,
        ).shift_ids[0]
        service.accept(ctx, shift_id=morning, floater_id=emma)
        service.accept(ctx, shift_id=afternoon, floater_id=emma)
        messages_of(ctx)
        moved = service.move(ctx, shift_id=morning, starts_at=at(13), ends_at=at(17), by=None)
        assert moved == service.Moved(released=emma)
        shift = service.get_shift(ctx, morning)
        assert (shift.status, shift.floater_id) == (ShiftStatus.OPEN, None)
        events = list(ctx.events)
        assert ShiftMoved(morning, at(8), at(12), by=None, released=emma) in events
        offered = [e for e in events if isinstance(e, OffersSent)]
        assert offered
        assert all(emma not in e.floater_ids for e in offered)
        told = [r for r in messages_of(ctx) if r.to.person_id == emma]
    assert len(told) == 1
    assert "so it is released" in told[0].lines[0].render("en")


def test_a_shift_nobody_took_is_reported_when_it_starts_uncovered(demo: Dialog) -> None:
    with unit(demo) as ctx:
        shift_id = butterflies(ctx)
    hub = to(demo.wait(timedelta(days=1, hours=2)), "hub")  # Tuesday 08:05
    assert (
        hub[-1].text == "⚠ Started with no floater: Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00"
    )
    assert sum("Not filled yet" in m.text for m in hub) == 1
    with session_scope(demo.engine) as session:
        kinds = session.exec(select(ShiftEvent.kind).where(ShiftEvent.shift_id == shift_id)).all()
    assert ShiftEventKind.STARTED_UNCOVERED in kinds


@pytest.mark.twin
def test_cancelling_a_request_cancels_each_of_its_live_shifts_once(demo: Dialog) -> None:
    with unit(demo) as ctx:
        requested = service.request_cover(
            ctx,
            requester_id=person(ctx.session, "Alice"),
            room_id=room(ctx.session, "Butterflies"),
            windows=[(at(8), at(10)), (at(13), at(15)), (at(8, WEDNESDAY), at(10, WEDNESDAY))],
            reason=Reason.TRAINING,
            origin=Origin.CLI,
        )
        first, second, third = requested.shift_ids
        service.cancel(ctx, shift_id=second, by=None)
        taken(ctx)
        assert service.cancel_request(ctx, request_id=requested.request_id, by=None) == [first, third]
        assert [e for e in taken(ctx) if isinstance(e, ShiftCancelled)] == [
            ShiftCancelled(first, None, None),
            ShiftCancelled(third, None, None),
        ]
        assert service.cancel_request(ctx, request_id=requested.request_id, by=None) == []
