"""How shifts read in a message: where, when, why — in the site's time zone and the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.i18n import Localized, Msg, Span, WithYear, _, sentence, verbatim
from handlers.labels import age_group_label
from models.cover.tables import PROTECTED, Reason, Shift, ShiftStatus
from models.db import Session
from models.roster.tables import Person, Room, Site

REASON_LABELS: dict[str, Msg] = {
    Reason.SICK: _("sick"),
    Reason.PERSONAL: _("personal"),
    Reason.PLANNING: _("planning time"),
    Reason.REFLECTION: _("reflective supervision"),
    Reason.TRAINING: _("training"),
    Reason.OTHER: _("other"),
}

STATUS_LABELS: dict[str, Msg] = {
    ShiftStatus.OPEN: _("looking for a floater"),
    ShiftStatus.FILLED: _("covered"),
    ShiftStatus.CANCELLED: _("cancelled"),
}


def reason_label(code: str) -> Msg:
    return REASON_LABELS.get(code, verbatim(code))


def when(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> Msg:
    """`Tue 1 Dec, 08:00–12:00` in the site's zone (or the reader's own: `Span`)."""
    return Msg("{when}", (("when", Span(starts_at, ends_at, zone)),))


def site_address(site: Site) -> Localized:
    """The site's address in the reader's language (SITES.csv `address`, `address_es`); — when there is none."""
    return Localized.either(site.address or site.address_es or "—", site.address_es)


def site_bring(site: Site) -> Localized | None:
    """What a floater should bring to the site, in the reader's language (`bring`, `bring_es`); None: nothing."""
    return Localized.either(site.bring, site.bring_es) if site.bring or site.bring_es else None


def with_year(day: date) -> Msg:
    """`Tue 1 Dec 2026`: a day far ahead, echoed so its year can be checked."""
    return Msg("{day}", (("day", WithYear(day)),))


def check_the_year(days: Iterable[date]) -> list[Msg]:
    """The lines that echo days far ahead with their year (the cover flow's confirm_year, a supervision slot)."""
    return [_("Please check the year — that is a while ahead:"), *(_("• {when}", when=with_year(day)) for day in days)]


def where(site: Site, room: Room) -> Msg:
    return _("{site} · {room} ({age_group})", site=site.name, room=room.name, age_group=age_group_label(room.age_group))


def shift_summary(session: Session, shift: Shift, fallback: ZoneInfo) -> Msg:
    """`Sunflower Center · Butterflies (toddlers), Tue 1 Dec, 08:00–12:00`."""
    site, room = _site_room(session, shift)
    return _("{where}, {when}", where=where(site, room), when=when(shift.starts_at, shift.ends_at, site.zone(fallback)))


def floater_reason(shift: Shift) -> list[Msg]:
    """The reason line a floater may see: protected time only, never sick or personal."""
    return [_("Protected time: {reason}", reason=reason_label(shift.reason))] if shift.reason in PROTECTED else []


def name_of(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id is not None else None
    return person.name if person is not None else "?"


def _site_room(session: Session, shift: Shift) -> tuple[Site, Room]:
    site, room = session.get(Site, shift.site_id), session.get(Room, shift.room_id)
    assert site is not None
    assert room is not None
    return site, room


def already_passed(day: date, start: time | None = None) -> Msg:
    """`Mon 30 Nov 07:00 has already passed. Which day and time do you need?` — a sentence of its own in every
    language (Spanish starts with the day: `Lun 30 nov a las 07:00 ya pasó`), wherever the chat says it."""
    if start is None:
        return sentence(_("{day} has already passed. Which day do you need?", day=day))
    return sentence(_("{day} {start} has already passed. Which day and time do you need?", day=day, start=start))
