"""Calendar files of supervision (iCalendar, RFC 5545/5546, written with the `icalendar` library).

A teacher's calendar has one event per booking, the supervisor's one per session; each UID stays the same for
its whole life. A move sends the event again with a higher SEQUENCE, a cancel sends METHOD:CANCEL, so calendar
apps update the one event instead of adding another. The ORGANIZER is the supervisor (her roster e-mail, or the
bot's own placeholder address when she has none); the ATTENDEEs are the teachers booked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from handlers.contract import Attachment

if TYPE_CHECKING:
    from icalendar import vCalAddress

PRODUCT = "-//Alliance Bot//Reflective supervision//EN"
BOT_ADDRESS = "mailto:noreply@alliance-bot.invalid"  # for a supervisor with no e-mail on the roster


@dataclass(frozen=True)
class Who:
    name: str
    email: str


@dataclass(frozen=True)
class Timing:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    stamp: datetime


def booking_uid(booking_id: int) -> str:
    return f"supervision-booking-{booking_id}@alliance-bot"


def session_uid(session_id: int) -> str:
    return f"supervision-session-{session_id}@alliance-bot"


def _address(who: Who, **params: str) -> vCalAddress:
    from icalendar import vCalAddress, vText

    address = vCalAddress(f"mailto:{who.email}" if who.email else BOT_ADDRESS)
    address.params["cn"] = vText(who.name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def ics(
    name: str,
    timing: Timing,
    *,
    summary: str,
    location: str,
    organizer: Who,
    attendees: Sequence[Who],
    cancel: bool = False,
    tentative: bool = False,
) -> Attachment:
    """One event: times in UTC, the session's title and place, who organises and who attends; nothing said in a
    session is ever written."""
    from icalendar import Calendar, Event  # here, not above: a cold start need not load it

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", timing.uid)
    event.add("sequence", timing.sequence)
    event.add("dtstamp", timing.stamp)
    event.add("dtstart", timing.starts_at)
    event.add("dtend", timing.ends_at)
    event.add("summary", summary)
    event.add("location", location)
    event.add("status", "CANCELLED" if cancel else "TENTATIVE" if tentative else "CONFIRMED")
    event.add("organizer", _address(organizer, role="CHAIR"))
    for attendee in attendees:
        if attendee.email:  # an attendee is an address: one without e-mail is named in the summary only
            event.add("attendee", _address(attendee, role="REQ-PARTICIPANT", partstat="ACCEPTED"))
    calendar.add_component(event)
    return Attachment(name, calendar.to_ical())
