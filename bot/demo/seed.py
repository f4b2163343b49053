"""Seeding the demo Alliance into a database that has no roster yet."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from importlib import resources
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.demo.history import seed_history
from models.alliance import Person, Site
from models.db import session_scope
from models.roster.apply import import_roster
from models.roster.files import read_people, read_sites
from models.shifts import set_preference


def has_roster(engine: Engine) -> bool:
    with session_scope(engine) as session:
        sites = session.exec(select(func.count()).select_from(Site)).one()
        people = session.exec(select(func.count()).select_from(Person)).one()
    return bool(sites or people)


def seed_demo(engine: Engine, *, at: datetime, zone: ZoneInfo | None = None, history: bool = True) -> None:
    """Import the shipped demo roster (3 sites, 8 teachers, 4 floaters, 2 directors, a supervisor, the Hub)."""
    files = resources.files("bot.demo")
    sites = read_sites(files.joinpath("sites.csv").read_text(encoding="utf-8"), "demo sites.csv")
    people = read_people(files.joinpath("people.csv").read_text(encoding="utf-8"), "demo people.csv")
    with session_scope(engine) as session:
        import_roster(session, sites=sites, people=people, at=at)
        _preferences(session, files.joinpath("preferences.csv").read_text(encoding="utf-8"))
        if history:
            seed_history(session, now=at, zone=zone or ZoneInfo("America/New_York"))


def _preferences(session: Session, text: str) -> None:
    """Each site's favourite (and blocked) floaters."""
    sites = {site.name: site.id for site in session.exec(select(Site)).all()}
    people = {person.name: person.id for person in session.exec(select(Person)).all()}
    for row in csv.DictReader(io.StringIO(text)):
        site_id, floater_id = sites[row["site"]], people[row["floater"]]
        assert site_id is not None
        assert floater_id is not None
        set_preference(session, site_id=site_id, floater_id=floater_id, kind=row["kind"])
