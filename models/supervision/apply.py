"""Publishing SLOTS.csv: every row checked against the roster and the clock first, then each row's sessions stored
with `publish` (a repeating row as one series) — all or nothing. A session already published (the same supervisor
at the same start) is left as it is and counted as unchanged, so importing a file twice adds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models.problems import Problem, raise_if_any
from models.roster.tables import Person, PersonRole
from models.roster.vocab import Role
from models.supervision import writes
from models.supervision.files import Places, SlotFile, SlotRow, Weekday
from models.supervision.queries import outside_hours, overlapping
from models.supervision.tables import Repeat, SupervisionSession
from models.supervision.writes import publish

LONGEST = timedelta(weeks=52)

Times = list[tuple[datetime, datetime]]  # aware UTC (start, end) pairs


@dataclass(frozen=True)
class Planned:
    """A row resolved: who, where, and every session it asks for."""

    line: int
    row: SlotRow
    supervisor_id: int
    supervisor: str
    site_id: int | None
    room_id: int | None
    place: str  # as the export writes it
    zone: ZoneInfo
    times: Times
    until: datetime | None  # the last start a series may have


@dataclass
class SlotsReport:
    created: list[str] = field(default_factory=list)  # one line per row that added sessions
    sessions: int = 0  # sessions created
    unchanged: int = 0  # sessions that were already published

    @property
    def changed(self) -> bool:
        return bool(self.sessions)


@dataclass(frozen=True)
class _Person:
    id: int
    name: str
    roles: set[str]


class _Problem(ValueError):
    """One `field: reason` of a row."""


def import_slots(session: Session, *, slots: SlotFile, at: datetime, zone: ZoneInfo) -> SlotsReport:
    """Publish the file's sessions, `at` being now and `zone` the Alliance's (for video calls); raises
    FileProblems naming every bad line of the file, having written nothing."""
    places = Places.load(session, zone)
    supervisors = _people_roles(session)
    errors = list(slots.problems)
    planned: list[Planned] = []
    for line, row in slots.rows:
        plan, problems = _plan(line, row, places, supervisors, at)
        errors += [Problem(slots.source, line, problem) for problem in problems]
        if plan is not None:
            planned.append(plan)
    for line, cells in slots.rejected:  # a bad line's supervisor and place are named with its other problems
        wrong = _references(cells["supervisor"].strip(), cells["place"].strip(), places, supervisors)[2]
        errors += [Problem(slots.source, line, message) for message in wrong]
    errors += _clashes(planned, slots.source)
    existing = _published(session, planned)
    fresh = [(plan, [t for t in plan.times if (plan.supervisor_id, t[0]) not in existing]) for plan in planned]
    errors += [_past(plan, times, slots.source) for plan, times in fresh if times and times[0][0] <= at]
    errors += [problem for plan, times in fresh if (problem := _overlap(session, plan, times, slots.source))]
    raise_if_any(errors)
    report = SlotsReport()
    for plan, times in fresh:
        report.unchanged += len(plan.times) - len(times)
        if times:
            _publish(session, plan, times, at)
            report.sessions += len(times)
            report.created.append(describe(plan, times))
    return report


def _plan(
    line: int, row: SlotRow, places: Places, people: dict[str, _Person], at: datetime
) -> tuple[Planned | None, list[str]]:
    """The row's supervisor, place and times, or what is wrong with them."""
    person, (site_id, room_id), problems = _references(row.supervisor, row.place, places, people)
    zone = places.zone(site_id)
    try:
        days = _days(row, zone, at)
    except _Problem as wrong:
        problems.append(str(wrong))
        days = []
    if problems or person is None:
        return None, problems
    times = [_start_end(day, row, zone) for day in days]
    site = places.sites.get(site_id) if site_id is not None else None
    if site is not None and outside_hours(site, times, zone):
        return None, [f"start: {site.name} is open {site.opens:%H:%M}–{site.closes:%H:%M}; a session must fit inside"]
    until = times[-1][0] if row.repeat != Repeat.NONE else None
    place = places.label(site_id, room_id)
    return Planned(line, row, person.id, person.name, site_id, room_id, place, zone, times, until), []


def _references(
    supervisor: str, place: str, places: Places, people: dict[str, _Person]
) -> tuple[_Person | None, tuple[int | None, int | None], list[str]]:
    """Who the supervisor is and where the place is, or what is wrong with them (an empty cell: its own problem)."""
    problems = []
    person = people.get(supervisor.casefold())
    if supervisor and person is None:
        problems.append(f"supervisor: no one called {supervisor!r} is on the roster")
    elif person is not None and Role.supervisor not in person.roles:
        problems.append(f"supervisor: {supervisor!r} is not a supervisor")
    where: tuple[int | None, int | None] = (None, None)
    try:
        where = places.find(place) if place else where
    except ValueError as wrong:
        problems.append(f"place: {wrong}")
    return person, where, problems


def _days(row: SlotRow, zone: ZoneInfo, at: datetime) -> list[date]:
    """The dates of the row's sessions: from its day (a weekday: the next one whose start is ahead) to `until`."""
    first = row.day if not isinstance(row.day, Weekday) else _next(row.day, row, zone, at)
    if row.repeat == Repeat.NONE:
        return [first]
    last = row.until or first + writes.TERM - timedelta(days=1)
    if last < first:
        raise _Problem(f"until: {last} is before the first session ({first})")
    if last > first + LONGEST:
        raise _Problem(f"until: at most 52 weeks after the first session ({first}), so {first + LONGEST} at the latest")
    return writes.series_days(first, row.repeat, last)


def _next(weekday: Weekday, row: SlotRow, zone: ZoneInfo, at: datetime) -> date:
    today = at.astimezone(zone).date()
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    return day + timedelta(weeks=1) if _start_end(day, row, zone)[0] <= at else day


def _start_end(day: date, row: SlotRow, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Wall-clock time in the place's zone (10:00 stays 10:00 across a clock change), stored as UTC."""
    start = datetime.combine(day, row.start, tzinfo=zone).astimezone(UTC)
    return start, start + timedelta(minutes=row.minutes)


def _people_roles(session: Session) -> dict[str, _Person]:
    """Active people by name (case-insensitive), with their roles."""
    people: dict[str, _Person] = {}
    statement = select(Person.id, Person.name, PersonRole.role).outerjoin(PersonRole)
    for person_id, name, role in session.exec(statement.where(col(Person.active).is_(True))).all():
        assert person_id is not None
        people.setdefault(name.casefold(), _Person(person_id, name, set())).roles.add(role or "")
    return people


def _clashes(planned: Sequence[Planned], source: str) -> list[Problem]:
    """A supervisor in two sessions at once on two rows of the file — the same start or overlapping times:
    the later row is named, once."""
    by_supervisor: dict[int, list[tuple[datetime, datetime, Planned]]] = {}
    for plan in planned:
        by_supervisor.setdefault(plan.supervisor_id, []).extend((s, e, plan) for s, e in plan.times)
    named: dict[int, Problem] = {}
    for times in by_supervisor.values():
        times.sort(key=lambda t: (t[0], t[2].line))
        latest: tuple[datetime, datetime, Planned] | None = None  # the one ending last so far
        for start, end, plan in times:
            if latest is not None and start < latest[1] and latest[2].line != plan.line:
                first, later = sorted((latest[2], plan), key=lambda p: p.line)
                when = (latest[0] if later is plan else start).astimezone(first.zone).strftime("%Y-%m-%d %H:%M")
                message = f"day: {later.supervisor} already has a session at {when} on line {first.line}"
                named.setdefault(later.line, Problem(source, later.line, message))
            if latest is None or end > latest[1]:
                latest = (start, end, plan)
    return [named[line] for line in sorted(named)]


def _published(session: Session, planned: Sequence[Planned]) -> set[tuple[int, datetime]]:
    """(supervisor, start) of the sessions already stored in the file's span, whatever their state."""
    starts = [start for plan in planned for start, _end in plan.times]
    if not starts:
        return set()
    rows = session.exec(
        select(SupervisionSession.supervisor_id, SupervisionSession.starts_at)
        .where(col(SupervisionSession.supervisor_id).in_({plan.supervisor_id for plan in planned}))
        .where(col(SupervisionSession.starts_at) >= min(starts), col(SupervisionSession.starts_at) <= max(starts))
    ).all()
    return {(supervisor_id, starts_at) for supervisor_id, starts_at in rows}


def _overlap(session: Session, plan: Planned, times: Times, source: str) -> Problem | None:
    """A new session over one of the supervisor's own: she cannot be in two at once."""
    clash = overlapping(session, supervisor_id=plan.supervisor_id, times=list(times))
    if clash is None:
        return None
    when = clash.starts_at.astimezone(plan.zone)
    return Problem(source, plan.line, f"start: overlaps {plan.supervisor}'s session of {when:%Y-%m-%d %H:%M}")


def _past(plan: Planned, times: Times, source: str) -> Problem:
    when = times[0][0].astimezone(plan.zone).strftime("%Y-%m-%d %H:%M")
    return Problem(source, plan.line, f"day: {when} has already passed; a slot is for a session to come")


def _publish(session: Session, plan: Planned, times: Times, at: datetime) -> None:
    publish(
        session,
        supervisor_id=plan.supervisor_id,
        times=times,
        capacity=plan.row.capacity,
        site_id=plan.site_id,
        room_id=plan.room_id,
        repeat=plan.row.repeat,
        until=plan.until,
        at=at,
    )


def describe(plan: Planned, times: Times) -> str:
    """`Olivia Reed, weekly Tue 10:00–11:00, 2026-12-01 to 2027-02-16 (12 sessions), Sunflower Center`."""
    first, last = (start.astimezone(plan.zone) for start in (times[0][0], times[-1][0]))
    hours = f"{first:%H:%M}–{times[0][1].astimezone(plan.zone):%H:%M}"
    day = Weekday(first.weekday()).label
    if len(times) == 1:
        repeat = f" ({plan.row.repeat.value})" if plan.row.repeat != Repeat.NONE else ""
        return f"{plan.supervisor}, {day} {first:%Y-%m-%d} {hours}{repeat}, {plan.place}"
    span = f"{first:%Y-%m-%d} to {last:%Y-%m-%d} ({len(times)} sessions)"
    return f"{plan.supervisor}, {plan.row.repeat.value} {day} {hours}, {span}, {plan.place}"
