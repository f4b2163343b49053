"""The last tier in waves: OFFER_WAVE_SIZE floaters at a time, best matches first, stopping at the first accept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from handlers.clock import ManualClock
from handlers.context import CoreConfig
from handlers.cover.policy import CoverPolicy
from handlers.service import Core
from models.cover.tables import Offer, Shift, Tier
from models.db import Engine, session_scope
from models.roster.tables import Credential, Person, PersonAgeGroup, PersonRole, Site
from tests.dialog import Dialog, only

NEW_FLOATERS = 58  # with Fatima and Sofía, 60 eligible after the favourite (Emma)


@pytest.fixture
def pool(demo: Dialog, engine: Engine, clock: ManualClock) -> Dialog:
    """The demo Alliance with 58 more toddler-qualified pool floaters, one of them Sunflower Center's own."""
    with session_scope(engine) as session:
        sunflower = session.exec(select(Site).where(Site.name == "Sunflower Center")).one()
        for n in range(NEW_FLOATERS):
            own = n == NEW_FLOATERS - 1
            person = Person(
                name=f"Zoe Site {n}" if own else f"Pool Floater {n:02}", site_id=sunflower.id if own else None
            )
            session.add(person)
            session.flush()
            assert person.id is not None
            session.add(PersonRole(person_id=person.id, role="floater"))
            session.add(PersonAgeGroup(person_id=person.id, age_group="toddler"))
            for code in ("background_check", "cpr_first_aid", "infant_toddler"):
                session.add(Credential(person_id=person.id, code=code))
    config = CoreConfig(policies=(CoverPolicy(wave_size=25),))
    return Dialog(Core(engine, clock, config), engine, clock)


def everyone_offers(dialog: Dialog) -> list[str]:
    with session_scope(dialog.engine) as session:
        rows = session.exec(select(Person.name).join(Offer).where(Offer.tier == Tier.EVERYONE)).all()
        return list(rows)


def request(dialog: Dialog) -> int:
    dialog.as_("Alice")
    only(dialog.says("need a floater tomorrow 8-12 planning"))
    dialog.presses("cv:send")
    with session_scope(dialog.engine) as session:
        shift_id = session.exec(select(Shift.id)).one()
    assert shift_id is not None
    return shift_id


def test_the_last_tier_goes_out_25_then_25_then_10_best_matches_first(pool: Dialog) -> None:
    request(pool)
    assert everyone_offers(pool) == []  # the favourite's ten minutes
    pool.wait(timedelta(minutes=10))
    first = everyone_offers(pool)
    assert len(first) == 25
    assert "Zoe Site 57" in first  # the site's own floater, though last by name
    pool.wait(timedelta(minutes=10))
    assert len(everyone_offers(pool)) == 50
    pool.wait(timedelta(minutes=10))
    assert len(everyone_offers(pool)) == 60
    pool.wait(timedelta(minutes=30))
    assert len(everyone_offers(pool)) == 60  # nobody left: no more waves


@pytest.mark.twin
def test_no_wave_goes_out_after_someone_accepts(pool: Dialog) -> None:
    shift_id = request(pool)
    pool.wait(timedelta(minutes=10))
    accepted = pool.as_("Fatima").presses(f"acc:{shift_id}")
    assert accepted[0].text.startswith("Confirmed")
    pool.wait(timedelta(minutes=30))
    assert len(everyone_offers(pool)) == 25


def test_a_wave_that_has_all_declined_brings_the_next_at_once(pool: Dialog) -> None:
    shift_id = request(pool)
    pool.wait(timedelta(minutes=10))
    for name in ["Emma", *everyone_offers(pool)]:
        pool.as_(name).presses(f"dec:{shift_id}")
    assert len(everyone_offers(pool)) == 50  # without waiting for the wave's ten minutes
