"""Six weeks of past activity for the demo Alliance: requests, offers, fills, drops, weekly pulse answers and
reflective-supervision sessions.

Deterministic (a fixed seed), so a demo database looks the same on every machine for the same start time.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.demo.supervision_history import seed_supervision
from models.cover import writes as shift_data
from models.cover.tables import Offer, OfferStatus, Reason, ShiftEvent, ShiftEventKind, ShiftStatus, Tier
from models.roster.tables import Person, PersonRole, Room, Site
from models.surveys import data as survey_data
from models.surveys.tables import InviteStatus, Recurrence, RunStatus, SurveyInvite

WEEKS = 6
REASONS = (
    Reason.SICK,
    Reason.SICK,
    Reason.PERSONAL,
    Reason.PLANNING,
    Reason.PLANNING,
    Reason.REFLECTION,
    Reason.TRAINING,
)
CAPACITY = {"Sunflower Center": 64.0, "Casa de los Niños": 40.0, "Maple Street Early Learning": 36.0}


def seed_history(session: Session, *, now: datetime, zone: ZoneInfo, seed: int = 2026) -> None:
    """Past requests on weekdays of the last six weeks, and the pulse answers of the sites that answer it."""
    rng = random.Random(seed)
    monday = now.astimezone(zone).date() - timedelta(days=now.astimezone(zone).weekday())
    sites = list(session.exec(select(Site).order_by(col(Site.id))).all())
    floaters = _floaters(session)
    for week in range(WEEKS, 0, -1):
        start = monday - timedelta(weeks=week)
        for site in sites:
            for _ in range(rng.randint(5, 9)):
                _one_request(session, rng, site, start + timedelta(days=rng.randint(0, 4)), zone, floaters)
        _pulse(session, rng, sites, start, zone)
    seed_supervision(session, random.Random(seed + 1), monday=monday, weeks=WEEKS, zone=zone, floaters=floaters)


def _floaters(session: Session) -> list[int]:
    statement = select(PersonRole.person_id).where(PersonRole.role == "floater")
    return sorted(session.exec(statement).all())


def _one_request(
    session: Session, rng: random.Random, site: Site, day: date, zone: ZoneInfo, floaters: list[int]
) -> None:
    rooms = list(session.exec(select(Room).where(Room.site_id == site.id)).all())
    room = rng.choice(rooms)
    teachers = [p for p in session.exec(select(Person).where(Person.site_id == site.id)).all() if p.room_id == room.id]
    requester = (teachers or list(session.exec(select(Person).where(Person.site_id == site.id)).all()))[0]
    hour = rng.choice((7, 8, 8, 9, 12, 13))
    starts = datetime.combine(day, time(hour, rng.choice((0, 30))), tzinfo=zone)
    ends = starts + timedelta(hours=rng.choice((2, 3, 4, 4, 8 if hour == 7 else 4)))
    reason = rng.choice(REASONS)
    lead = (
        timedelta(hours=rng.choice((1.5, 2, 20, 30, 72, 120)))
        if reason != Reason.SICK
        else timedelta(hours=rng.uniform(1, 3))
    )
    requested = starts - lead
    _request, (shift,) = shift_data.create_request(
        session,
        requester_id=requester.id or 0,
        site_id=site.id or 0,
        room_id=room.id or 0,
        age_group=room.age_group,
        reason=reason,
        windows=[(starts, ends)],
        at=requested,
    )
    offered = rng.sample(floaters, k=min(len(floaters), rng.randint(1, 3)))
    for floater in offered:
        session.add(
            Offer(
                shift_id=shift.id or 0,
                floater_id=floater,
                tier=Tier.EVERYONE,
                status=OfferStatus.SENT,
                offered_at=requested + timedelta(minutes=1),
            )
        )
    shift.first_offered_at = requested + timedelta(minutes=1)
    outcome = rng.random()
    if outcome < 0.08:
        shift.status, shift.cancelled_at = ShiftStatus.CANCELLED, requested + timedelta(hours=1)
        session.add(
            ShiftEvent(
                shift_id=shift.id or 0, kind=ShiftEventKind.CANCELLED, person_id=requester.id, at=shift.cancelled_at
            )
        )
    elif outcome < 0.88 or (outcome < 0.94 and lead > timedelta(hours=3)):
        floater = offered[0]
        shift.status, shift.floater_id = ShiftStatus.FILLED, floater
        shift.accepted_at = requested + timedelta(
            minutes=rng.randint(3, 50) if lead < timedelta(hours=4) else rng.randint(10, 600)
        )
        session.add(
            ShiftEvent(shift_id=shift.id or 0, kind=ShiftEventKind.ACCEPTED, person_id=floater, at=shift.accepted_at)
        )
        if rng.random() < 0.05:
            session.add(
                ShiftEvent(
                    shift_id=shift.id or 0,
                    kind=ShiftEventKind.DROPPED,
                    person_id=floater,
                    at=shift.accepted_at + timedelta(hours=1),
                )
            )
    elif lead < timedelta(hours=3):
        shift.escalated_at = max(requested, starts - timedelta(hours=1))
        session.add(
            ShiftEvent(shift_id=shift.id or 0, kind=ShiftEventKind.ESCALATED, person_id=None, at=shift.escalated_at)
        )
    session.add(shift)


def _pulse(session: Session, rng: random.Random, sites: list[Site], monday: date, zone: ZoneInfo) -> None:
    """The weekly pulse of that week: every site but Maple Street answers (it never does, in the demo)."""
    opens = datetime.combine(monday, time(8), tzinfo=zone)
    year, week, _day = monday.isocalendar()
    period = f"{year}-W{week:02}"
    run = survey_data.create_run(
        session,
        survey_id="weekly-pulse",
        period=period,
        audience={"roles": ["director"]},
        anonymous=False,
        recurrence=Recurrence.NONE,
        created_by=None,
        opens_at=opens,
        closes_at=opens + timedelta(days=3),
        at=opens,
    )
    run.status = RunStatus.CLOSED
    directors = session.exec(
        select(Person).where(col(Person.id).in_(select(PersonRole.person_id).where(PersonRole.role == "director")))
    ).all()
    answers: dict[int | None, dict[str, float]] = {}
    for site in sites:
        if site.name.startswith("Maple"):
            continue
        capacity = CAPACITY.get(site.name, 40.0)
        enrolled = round(capacity * rng.uniform(0.78, 0.97), 1)
        answers[site.id] = {
            "enrolled_fte": enrolled,
            "capacity_fte": capacity,
            "vacancies": round(capacity - enrolled),
            "staffing_stretch": rng.randint(2, 4),
        }
    submitted = opens + timedelta(hours=3)
    for director in directors:
        given = answers.get(director.site_id)
        session.add(
            SurveyInvite(
                run_id=run.id or 0,
                person_id=director.id or 0,
                status=InviteStatus.SUBMITTED if given else InviteStatus.INVITED,
                invited_at=opens,
                submitted_at=submitted if given else None,
            )
        )
        if given:  # the response the list, [Results] and `survey results` read, and the metrics the digest reads
            survey_data.store_response(session, run=run, person=director, answers=given, at=submitted)
    for site_id, given in answers.items():
        values = {
            "enrolled_fte": given["enrolled_fte"],
            "staffed_capacity_fte": given["capacity_fte"],
            "open_vacancies": float(given["vacancies"]),
            "staffing_stretch": float(given["staffing_stretch"]),
        }
        survey_data.record_metrics(
            session, site_id=site_id or 0, period=period, values=values, run_id=run.id or 0, at=opens
        )
    session.flush()
