"""The calendar file of a booking (iCalendar, RFC 5545, written with the `icalendar` library).

Its UID stays the same for the booking's whole life; a move sends it again with a higher SEQUENCE, and a cancel
sends METHOD:CANCEL, so calendar apps update the one event instead of adding another.
"""

from __future__ import annotations

from datetime import datetime

from handlers.contract import Attachment

PRODUCT = "-//Alliance Bot//Reflective supervision//EN"


def booking_uid(booking_id: int) -> str:
    return f"supervision-booking-{booking_id}@alliance-bot"


def ics(
    *,
    booking_id: int,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    stamp: datetime,
    cancel: bool = False,
) -> Attachment:
    """One event: times in UTC, the session's title and place; nothing said in a session is ever written."""
    from icalendar import Calendar, Event  # here, not above: a cold start need not load it

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", booking_uid(booking_id))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    event.add("location", location)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    calendar.add_component(event)
    return Attachment(f"reflective-supervision-{booking_id}.ics", calendar.to_ical())
