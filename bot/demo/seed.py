"""Seeding the demo Alliance into a database that has no roster yet."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func
from sqlmodel import select

from bot.demo.history import seed_history
from models.db import session_scope
from models.roster.apply import import_roster
from models.roster.files import read_people, read_preferences, read_sites
from models.roster.tables import Person, Site
from models.supervision.apply import import_slots
from models.supervision.files import read_slots

NEW_YORK = ZoneInfo("America/New_York")


def has_roster(engine: Engine) -> bool:
    with session_scope(engine) as session:
        sites = session.exec(select(func.count()).select_from(Site)).one()
        people = session.exec(select(func.count()).select_from(Person)).one()
    return bool(sites or people)


def seed_demo(engine: Engine, *, at: datetime, zone: ZoneInfo | None = None, history: bool = True) -> None:
    """Import the shipped demo roster (3 sites, 8 teachers, 4 floaters, 2 directors, 2 supervisors, the Hub) and
    the supervisors' weekly slots from `at` on, through the same imports as the CLI."""
    files = resources.files("bot.demo")
    sites = read_sites(files.joinpath("sites.csv").read_text(encoding="utf-8"), "demo sites.csv")
    people = read_people(files.joinpath("people.csv").read_text(encoding="utf-8"), "demo people.csv")
    preferences = read_preferences(
        files.joinpath("preferences.csv").read_text(encoding="utf-8"), "demo preferences.csv"
    )
    slots = read_slots(files.joinpath("slots.csv").read_text(encoding="utf-8"), "demo slots.csv")
    with session_scope(engine) as session:
        import_roster(session, sites=sites, people=people, preferences=preferences, at=at)
        import_slots(session, slots=slots, at=at, zone=zone or NEW_YORK)
        if history:
            seed_history(session, now=at, zone=zone or NEW_YORK)
