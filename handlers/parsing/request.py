"""A free-text request read into shifts, age group and reason (spec/parsing.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.parsing.dates import DateGroup, read_dates
from handlers.parsing.dayparts import read_dayparts, with_dayparts
from handlers.parsing.durations import read_duration
from handlers.parsing.homonyms import settle_homonyms
from handlers.parsing.rooms import unknown_room
from handlers.parsing.shifts import ShiftSpec, assemble
from handlers.parsing.text import Scanner, normalise
from handlers.parsing.times import read_times
from handlers.parsing.topics import asks_for_cover, read_age_group, read_reason
from handlers.parsing.weekly import read_weekly, weekly_days

OPENS = time(7, 0)  # a site's hours when none are given, for "morning", "afternoon" and "all day"
CLOSES = time(18, 0)
FAR_AHEAD = timedelta(weeks=8)

__all__ = ["CLOSES", "OPENS", "ParsedRequest", "ShiftSpec", "parse_request"]


@dataclass(frozen=True)
class ParsedRequest:
    """What a message asks for. Fields after `asks` came with the second round (spec/parsing.md).

    - `past`: every day the message names is over (then `shifts` is empty); the chat says so and asks which day.
    - `past_shifts`: the days (with their hours) the message names that are over, whether or not it is `past`.
    - `weekly`: it asked for every week (`every Monday`, `todos los lunes`); `shifts` holds each occurrence.
    - `impossible_date`: (month, day) as written of a date no calendar has (`Feb 30` → (2, 30), `13/5` → (13, 5)).
    - `unread_range`: a range of days it names goes back (`Dec 22-20`) or runs past a month (`Dec 1 - Jan 15`):
      no day is guessed (not tomorrow, as for a message with no day at all); the chat asks which days.
    - `unknown_room`: a room it names (as written) that is none of the site's `rooms`.
    - `far_ahead`: a shift is more than 8 weeks ahead or in another year; the chat confirms it with its year.
    - `ambiguous_date`: a numeric date could be read either way (`10/12`) and the writer's language was not given;
      it was read month/day, so echo it to be confirmed.
    - `loose_hours`: the hours it gives that no day took, its days being unread (`Feb 30 8-12`): the chat keeps
      them for the day she names next.
    - `day_named`: the message names a day (a date, a weekday, `tomorrow`, `this afternoon`, every Monday); without
      one, hours alone are today's or tomorrow's (`shifts`), and the chat, having asked which day, asks again.
    - `passed_beside`: days before today it names by their date (`Nov 27 & Dec 8`), beside days still ahead: they
      are left out, and the chat says so (a day named as `yesterday` is let be: "no one covered me yesterday, can
      I get a floater tomorrow").
    - `week_unread`: the Monday of a week it names without saying which day (`next week 9-11`, `this week`): no
      shift; the chat asks which day of that week, the hours kept (`loose_hours`).
    """

    shifts: tuple[ShiftSpec, ...]
    age_group: str | None
    reason: str | None
    room: str | None = None
    asks: bool = False  # the message is a request even if it says no day or time
    past: bool = False
    past_shifts: tuple[ShiftSpec, ...] = ()
    weekly: bool = False
    impossible_date: tuple[int, int] | None = None
    unread_range: bool = False
    unknown_room: str | None = None
    far_ahead: bool = False
    ambiguous_date: bool = False
    hours_given: bool = False  # the message says hours, whether or not they went to a day
    loose_hours: tuple[tuple[time, time | None], ...] = ()
    passed_beside: tuple[date, ...] = ()
    day_named: bool = False
    week_unread: date | None = None

    @property
    def hours_only(self) -> bool:
        """It gives hours and no day (`9-11`): its shifts are today's or tomorrow's only by the first round's rule."""
        return bool(self.shifts) and not self.day_named and self.shifts[0].start is not None

    @property
    def day_unread(self) -> bool:
        """A day it names could not be read: a date no calendar has, a range of days that is none, or a week
        without its day."""
        return self.impossible_date is not None or self.unread_range or self.week_unread is not None

    @property
    def missing(self) -> tuple[str, ...]:
        """What the bot must still ask for: `date`, `start`, `end`; a day it could not read asks the date."""
        if not self.shifts:
            if self.day_unread and self.hours_given:
                return ("date",)
            return ("date", "start", "end") if self.asks or self.day_unread else ()
        missing = []
        if any(shift.start is None for shift in self.shifts):
            missing.append("start")
        if any(shift.end is None for shift in self.shifts):
            missing.append("end")
        return tuple(missing)

    def as_json(self, *, details: bool = False) -> dict[str, Any]:
        """The output of `alliance-bot parse` (spec/parsing.md); `details` adds what the chat flow also uses."""
        out: dict[str, Any] = {
            "shifts": [{"date": s.day.isoformat(), "start": _hhmm(s.start), "end": _hhmm(s.end)} for s in self.shifts],
            "age_group": self.age_group,
            "reason": self.reason,
            "missing": list(self.missing),
            "past": self.past,
        }
        impossible = self.impossible_date
        if impossible or details:  # a date no calendar has is always said: `missing` alone would not say why
            out["impossible_date"] = {"month": impossible[0], "day": impossible[1]} if impossible else None
        if self.unread_range or details:  # said, as a date no calendar has is
            out["unread_range"] = self.unread_range
        if details:
            out |= {
                "weekly": self.weekly,
                "unknown_room": self.unknown_room,
                "far_ahead": self.far_ahead,
                "ambiguous_date": self.ambiguous_date,
                "loose_hours": [{"start": _hhmm(start), "end": _hhmm(end)} for start, end in self.loose_hours],
                "passed_beside": [day.isoformat() for day in self.passed_beside],
                "day_named": self.day_named,
                "week_unread": self.week_unread.isoformat() if self.week_unread else None,
            }
        return out


def parse_request(
    text: str,
    *,
    now: datetime,
    zone: ZoneInfo,
    rooms: Mapping[str, str] | None = None,
    answering: bool = False,
    opens: time | None = None,
    closes: time | None = None,
    lang: str | None = None,
) -> ParsedRequest:
    """Read `text` as written at `now` in `zone`; `rooms` maps the site's room names to their age groups.

    `answering` says the text answers a question of the request flow ("tomorrow"), so a day alone counts.
    `opens`/`closes` are the site's hours for parts of the day (07:00 and 18:00 when not given).
    `lang` is the writer's language (`en`, `es`) when known: `10/12` is 10 December in Spanish, 12 October in
    English; unknown, it is month/day (spec/parsing.md) and `ambiguous_date` says it could be the other.
    """
    local = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)
    today = local.date()
    scan = Scanner(normalise(text))
    settle_homonyms(scan, lang)
    room, age_group = read_age_group(scan, rooms or {})
    reason = read_reason(scan.text)
    asks = answering or asks_for_cover(scan.text) or reason is not None or age_group is not None
    parts = read_dayparts(scan)
    weekly = read_weekly(scan)
    groups = read_dates(scan, today, day_first=lang == "es") + [
        DateGroup(part.position, (today,)) for part in parts if part.today
    ]
    if weekly is not None:
        every_week, groups = weekly_days(weekly, groups, today)
        groups.append(every_week)
    groups.sort(key=lambda group: group.position)
    ranges = read_times(scan, read_duration(scan))
    slots = with_dayparts(parts, ranges, scan.text, opens or OPENS, closes or CLOSES)
    assembled = assemble(groups, slots, local, asks=asks)
    return ParsedRequest(
        assembled.ahead,
        age_group,
        reason,
        room,
        asks,
        past=assembled.past,
        past_shifts=assembled.over,
        weekly=weekly is not None,
        impossible_date=next((group.impossible for group in groups if group.impossible), None),
        unread_range=any(group.unread_range for group in groups),
        ambiguous_date=lang is None and any(group.ambiguous for group in groups),
        hours_given=bool(slots),
        unknown_room=unknown_room(text, rooms or {}),
        far_ahead=any(_far(shift.day, today) for shift in assembled.ahead),
        loose_hours=() if assembled.ahead or assembled.over else tuple((slot.start, slot.end) for slot in slots),
        passed_beside=_passed_beside(groups, assembled.over, today) if assembled.ahead else (),
        day_named=bool(groups),
        week_unread=next((group.week for group in groups if group.week), None),
    )


def _passed_beside(groups: list[DateGroup], over: tuple[ShiftSpec, ...], today: date) -> tuple[date, ...]:
    """The days before today among `over` that the message wrote as dates (a year was read for them, nearest or
    written), not as words relative to today."""
    dated = {day for group in groups if group.year for day in group.days}
    return tuple(sorted({shift.day for shift in over if shift.day < today and shift.day in dated}))


def _far(day: date, today: date) -> bool:
    return day > today + FAR_AHEAD or day.year != today.year


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None
