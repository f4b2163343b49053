"""SLOTS.csv, the sessions supervisors offer: one validated row per session or repeating series, how a place is
written and read, and the export of the sessions to come (one row each, so an export imports as "unchanged").

Reading checks each row on its own; models/supervision/apply.py checks the rows against the roster and the clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator
from sqlmodel import Session, col, select

from models.roster.files import RowFile, read_rows, write_csv
from models.roster.tables import Person, Room, Site
from models.supervision.tables import Repeat, SessionStatus, SupervisionSession

SLOT_COLUMNS = ("supervisor", "day", "start", "minutes", "repeat", "until", "capacity", "place")
REQUIRED_COLUMNS = ("supervisor", "day", "start", "minutes", "place")  # the others may be left out
MINUTES = range(15, 241)
CAPACITY = range(1, 13)
VIDEO_CALL = "video call"
VIDEO_NAMES = frozenset({VIDEO_CALL, "video", "videollamada"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
EMPTY = {
    "supervisor": "the supervisor's name is empty",
    "place": "is empty: write a room, a site, Site / Room, or video call",
    "minutes": "is empty: how long the session lasts, 15 to 240",
}


class Weekday(IntEnum):
    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def label(self) -> str:
        return self.name.title()


FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES = {
    **{day.name.lower(): day for day in Weekday},
    **{name: Weekday(number) for number, name in enumerate(FULL_NAMES)},
    "tues": Weekday.TUE,
    "thur": Weekday.THU,
    "thurs": Weekday.THU,
}


class SlotRow(BaseModel):
    """One row as written: `day` is a date or a weekday (the next one, resolved when the file is imported)."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    supervisor: str
    day: date | Weekday
    start: time
    minutes: int
    repeat: Repeat = Repeat.NONE
    until: date | None = None
    capacity: int = 1
    place: str

    @field_validator("supervisor", "place")
    @classmethod
    def _named(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            raise ValueError(EMPTY[info.field_name or ""])
        return value

    @field_validator("day", mode="before")
    @classmethod
    def _day(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        if text in WEEKDAY_NAMES:
            return WEEKDAY_NAMES[text]
        return _date(text, "use YYYY-MM-DD or a weekday (mon … sun)")

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        found = CLOCK.match(value.strip())
        if found is None or int(found[1]) > 23 or int(found[2]) > 59:
            raise ValueError(f"{value.strip()!r} is not a time; use HH:MM (24-hour), e.g. 09:30")
        return time(int(found[1]), int(found[2]))

    @field_validator("minutes", "capacity", mode="before")
    @classmethod
    def _whole(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        if not value.strip() and info.field_name == "capacity":
            return 1
        if not value.strip():
            raise ValueError(EMPTY["minutes"])
        if not value.strip().isdigit():
            raise ValueError(f"{value.strip()!r} is not a whole number")
        return int(value)

    @field_validator("minutes")
    @classmethod
    def _length(cls, value: int) -> int:
        if value not in MINUTES:
            raise ValueError(f"a session lasts {MINUTES.start} to {MINUTES.stop - 1} minutes, not {value}")
        return value

    @field_validator("capacity")
    @classmethod
    def _seats(cls, value: int) -> int:
        if value not in CAPACITY:
            raise ValueError(f"{CAPACITY.start} to {CAPACITY.stop - 1} seats, not {value}")
        return value

    @field_validator("repeat", mode="before")
    @classmethod
    def _repeat(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip().lower() or Repeat.NONE.value
        if text not in {r.value for r in Repeat}:
            raise ValueError(f"{value.strip()!r}: use none, weekly or biweekly")
        return text

    @field_validator("until", mode="before")
    @classmethod
    def _until(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return _date(value.strip(), "the last date must be YYYY-MM-DD") if value.strip() else None

    @model_validator(mode="after")
    def _coherent(self) -> SlotRow:
        if self.until is not None and self.repeat == Repeat.NONE:
            raise ValueError("until: only a repeating slot has a last date (set repeat to weekly or biweekly)")
        return self


def _date(text: str, hint: str) -> date:
    try:
        if ISO_DATE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not a date; {hint}")


SlotFile = RowFile[SlotRow]


def read_slots(text: str, source: str = "SLOTS.csv") -> SlotFile:
    """Every row checked on its own; the bad ones are kept as problems, to be reported with the roster's checks."""
    optional = tuple(column for column in SLOT_COLUMNS if column not in REQUIRED_COLUMNS)
    return read_rows(text, source, REQUIRED_COLUMNS, optional, SlotRow)


@dataclass(frozen=True)
class Places:
    """The Alliance's sites and rooms, read once: a place's name ↔ where, and its time zone."""

    sites: dict[int, Site]
    rooms: dict[int, Room]
    alliance: ZoneInfo

    @classmethod
    def load(cls, session: Session, alliance: ZoneInfo) -> Places:
        sites = {site.id: site for site in session.exec(select(Site)).all() if site.id is not None}
        rooms = {room.id: room for room in session.exec(select(Room)).all() if room.id is not None}
        return cls(sites, rooms, alliance)

    def zone(self, site_id: int | None) -> ZoneInfo:
        """The site's zone; the Alliance's for a video call."""
        site = self.sites.get(site_id) if site_id is not None else None
        return site.zone(self.alliance) if site is not None else self.alliance

    def label(self, site_id: int | None, room_id: int | None) -> str:
        """How the file writes it: `Site / Room`, `Site`, or `video call`."""
        if site_id is None or site_id not in self.sites:
            return VIDEO_CALL
        room = self.rooms.get(room_id) if room_id is not None else None
        return f"{self.sites[site_id].name} / {room.name}" if room else self.sites[site_id].name

    def find(self, text: str) -> tuple[int | None, int | None]:
        """(site id, room id) of a place as written; ValueError saying what to write instead."""
        key = text.strip().casefold()
        if key in VIDEO_NAMES:
            return None, None
        sites = {site.name.casefold(): site for site in self.sites.values()}
        if key in sites:
            return sites[key].id, None
        rooms = [room for room in self.rooms.values() if room.name.casefold() == key]
        if len(rooms) == 1:
            return rooms[0].site_id, rooms[0].id
        if rooms:
            where = sorted(self.sites[room.site_id].name for room in rooms)
            raise ValueError(
                f"{text!r} is a room of {len(rooms)} sites ({', '.join(where)}); write Site / Room, "
                f"e.g. '{where[0]} / {rooms[0].name}'"
            )
        site_name, slash, room_name = text.rpartition("/")
        site = sites.get(site_name.strip().casefold()) if slash else None
        if site is None:
            raise ValueError(f"no site or room is called {text!r} (a room, a site, Site / Room, or video call)")
        wanted = room_name.strip().casefold()
        room = next((r for r in self.rooms.values() if r.site_id == site.id and r.name.casefold() == wanted), None)
        if room is None:
            raise ValueError(f"{site.name!r} has no room {room_name.strip()!r}")
        return site.id, room.id


@dataclass(frozen=True)
class Listed:
    """A session as the files and the CLI show it: local times in the place's zone, names instead of ids."""

    id: int
    supervisor: str
    starts: datetime
    ends: datetime
    place: str
    capacity: int

    @property
    def minutes(self) -> int:
        return int((self.ends - self.starts) / timedelta(minutes=1))


def listed(session: Session, sessions: Sequence[SupervisionSession], zone: ZoneInfo) -> list[Listed]:
    """The sessions with their supervisor's name, place and local times (`zone`: the Alliance's)."""
    places = Places.load(session, zone)
    names = dict(session.exec(select(Person.id, Person.name)).all())
    return [
        Listed(
            sitting.id or 0,
            names.get(sitting.supervisor_id, ""),
            sitting.starts_at.astimezone(places.zone(sitting.site_id)),
            sitting.ends_at.astimezone(places.zone(sitting.site_id)),
            places.label(sitting.site_id, sitting.room_id),
            sitting.capacity,
        )
        for sitting in sessions
    ]


def export_slots(session: Session, *, after: datetime, zone: ZoneInfo) -> str:
    """The open sessions starting after `after`, one row each (`repeat` none), in the import format."""
    sessions = session.exec(
        select(SupervisionSession)
        .where(col(SupervisionSession.status) == SessionStatus.OPEN, col(SupervisionSession.starts_at) > after)
        .order_by(col(SupervisionSession.starts_at), col(SupervisionSession.id))
    ).all()
    records = [
        {
            "supervisor": item.supervisor,
            "day": item.starts.date().isoformat(),
            "start": item.starts.strftime("%H:%M"),
            "minutes": str(item.minutes),
            "repeat": Repeat.NONE.value,
            "until": "",
            "capacity": str(item.capacity),
            "place": item.place,
        }
        for item in listed(session, sessions, zone)
    ]
    return write_csv(SLOT_COLUMNS, records)
