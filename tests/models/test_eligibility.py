"""Who may be offered a shift: age group, credentials valid on the day, site, blocks, overlapping bookings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.cover.eligibility import CredentialRule, eligible_floaters
from models.cover.tables import PreferenceKind, Reason, Shift
from models.cover.writes import claim_shift, create_request, set_preference
from models.db import session_scope
from models.roster.apply import import_roster
from models.roster.files import read_people, read_sites
from models.roster.tables import Person, Room, Site

DAY = date(2026, 12, 10)
START = datetime(2026, 12, 10, 13, tzinfo=UTC)  # 08:00 in New York
OK = "background_check;cpr_first_aid:2027-12-31"
SITES = """site,timezone,opens,closes,rooms
Hill,America/New_York,07:00,18:00,Nest:infant;Owls:preschool
Dale,America/New_York,07:00,18:00,Cubs:infant
"""
PEOPLE = f"""name,site,roles,room,email,phone,language,age_groups,credentials,slack_user_id,telegram_user_id
Tess,Hill,teacher,Nest,,,en,,,,
Ada,,floater,,,,en,infant;toddler,{OK};infant_toddler,,
Bea,,floater,,,,en,infant,{OK},,
Cam,,floater,,,,en,infant,background_check;cpr_first_aid:2026-12-09;infant_toddler,,
Cid,,floater,,,,en,infant,background_check;cpr_first_aid:2026-12-10;infant_toddler,,
Dot,Dale,floater,,,,en,infant,{OK};infant_toddler,,
Dee,Hill,floater,,,,en,infant,{OK};infant_toddler,,
Eve,,floater,,,,en,infant,{OK};infant_toddler,,
Fay,,floater,,,,en,infant;preschool,{OK};infant_toddler,,
Gus,,floater,,,,en,infant,cpr_first_aid:2027-01-01;infant_toddler,,
"""


def ids(session: Session) -> dict[str, int]:
    return {p.name: p.id for p in session.exec(select(Person)).all() if p.id is not None}


def shift_in(session: Session, room_name: str, start: datetime = START) -> Shift:
    room = session.exec(select(Room).where(Room.name == room_name)).one()
    tess = ids(session)["Tess"]
    _request, shifts = create_request(
        session,
        requester_id=tess,
        site_id=room.site_id,
        room_id=room.id or 0,
        age_group=room.age_group,
        reason=Reason.PLANNING,
        windows=[(start, start + timedelta(hours=4))],
        at=START - timedelta(days=2),
    )
    return shifts[0]


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as setup:
        import_roster(setup, sites=read_sites(SITES), people=read_people(PEOPLE), at=START)
        hill = setup.exec(select(Site).where(Site.name == "Hill")).one()
        set_preference(setup, site_id=hill.id or 0, floater_id=ids(setup)["Eve"], kind=PreferenceKind.BLOCKED)
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


def names(people: list[Person]) -> list[str]:
    return [p.name for p in people]


def test_infant_rooms_need_the_credential_and_cpr_valid_on_the_day(session: Session) -> None:
    shift = shift_in(session, "Nest")
    # Bea lacks infant_toddler, Cam's CPR ended the day before, Cid's ends that very day (still valid),
    # Dot belongs to another site, Eve is blocked at Hill, Gus has no background check.
    assert names(eligible_floaters(session, shift=shift, on=DAY, rule=CredentialRule())) == [
        "Ada",
        "Cid",
        "Dee",
        "Fay",
    ]


def test_a_hub_can_change_the_rule(session: Session) -> None:
    shift = shift_in(session, "Nest")
    relaxed = CredentialRule(by_age_group={})
    assert "Bea" in names(eligible_floaters(session, shift=shift, on=DAY, rule=relaxed))


def test_preschool_rooms_need_the_age_group(session: Session) -> None:
    shift = shift_in(session, "Owls")
    assert names(eligible_floaters(session, shift=shift, on=DAY, rule=CredentialRule())) == ["Fay"]


def test_an_overlapping_booking_excludes_and_a_later_one_does_not(session: Session) -> None:
    first = shift_in(session, "Nest")
    assert claim_shift(session, shift_id=first.id or 0, floater_id=ids(session)["Ada"], at=START)
    overlapping = shift_in(session, "Nest", START + timedelta(hours=2))
    later = shift_in(session, "Nest", START + timedelta(hours=4))
    assert "Ada" not in names(eligible_floaters(session, shift=overlapping, on=DAY, rule=CredentialRule()))
    assert "Ada" in names(eligible_floaters(session, shift=later, on=DAY, rule=CredentialRule()))


def test_favourites_only(session: Session) -> None:
    shift = shift_in(session, "Nest")
    hill = session.exec(select(Site).where(Site.name == "Hill")).one()
    set_preference(session, site_id=hill.id or 0, floater_id=ids(session)["Fay"], kind=PreferenceKind.FAVOURITE)
    rule = CredentialRule()
    assert names(eligible_floaters(session, shift=shift, on=DAY, rule=rule, favourites_only=True)) == ["Fay"]


def test_favourites_are_held_to_every_rule_of_the_pool(session: Session) -> None:
    """The favourites' query is written apart from the pool's (driven by the few favourites): the same rules."""
    first = shift_in(session, "Nest")
    assert claim_shift(session, shift_id=first.id or 0, floater_id=ids(session)["Ada"], at=START)
    shift = shift_in(session, "Nest", START + timedelta(hours=2))
    hill = session.exec(select(Site).where(Site.name == "Hill")).one()
    # Ada booked then, Bea without infant_toddler, Cam's CPR expired, Dot of another site, Gus without a background
    # check, Cid and Dee and Fay eligible; Eve is blocked (her one preference at Hill) and so is no favourite.
    for name in ("Ada", "Bea", "Cam", "Cid", "Dot", "Dee", "Fay", "Gus"):
        set_preference(session, site_id=hill.id or 0, floater_id=ids(session)[name], kind=PreferenceKind.FAVOURITE)
    rule = CredentialRule()
    pool = names(eligible_floaters(session, shift=shift, on=DAY, rule=rule))
    assert pool == ["Cid", "Dee", "Fay"]
    assert names(eligible_floaters(session, shift=shift, on=DAY, rule=rule, favourites_only=True)) == pool
    favourite_ids = eligible_floaters(session, shift=shift, on=DAY, rule=rule, favourites_only=True, ids_only=True)
    assert favourite_ids == [ids(session)[name] for name in pool]
    fay = ids(session)["Fay"]
    assert "Fay" not in names(
        eligible_floaters(session, shift=shift, on=DAY, rule=rule, favourites_only=True, exclude=[fay])
    )


def test_best_first_the_sites_own_then_who_covered_it_lately_then_by_name(session: Session) -> None:
    fay, cid = ids(session)["Fay"], ids(session)["Cid"]
    for weeks, floater in ((1, fay), (2, fay), (20, cid)):  # Cid's was too long ago to count
        earlier = shift_in(session, "Nest", START - timedelta(weeks=weeks))
        assert claim_shift(session, shift_id=earlier.id or 0, floater_id=floater, at=START)
    shift = shift_in(session, "Nest")
    rule = CredentialRule()
    ranked = eligible_floaters(session, shift=shift, on=DAY, rule=rule, best_first=True)
    assert names(ranked) == ["Dee", "Fay", "Ada", "Cid"]
    ranked_ids = eligible_floaters(
        session, shift=shift, on=DAY, rule=rule, best_first=True, ids_only=True, exclude=[fay]
    )
    assert ranked_ids == [ids(session)[name] for name in ("Dee", "Ada", "Cid")]
