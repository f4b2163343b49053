"""Survey runs over time: open (invite the audience), remind non-responders in waking hours, close, recur."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from handlers.contract import Choice, Reply, tell
from handlers.i18n import _, n_
from handlers.surveys.schema import Survey, shipped
from models.messaging import tasks
from models.roster import queries as roster_queries
from models.roster.tables import zone_named
from models.surveys import data as survey_data
from models.surveys import queries as survey_queries
from models.surveys.tables import InviteStatus, Recurrence, RunStatus, SurveyInvite, SurveyRun

if TYPE_CHECKING:
    from models.db import Session

OPEN, REMIND, CLOSE = "survey.open", "survey.remind", "survey.close"
REMIND_AFTER = (timedelta(hours=24), timedelta(hours=72))
REMIND_GAP = timedelta(hours=12)  # never two reminders closer than this, however they were scheduled
WAKING = (time(7, 0), time(19, 0))
AUDIENCES = ("director", "teacher", "floater", "supervisor", "hub", "everyone")


def period_of(survey: Survey, when: datetime, zone: ZoneInfo) -> str:
    """`2026-W49` for weekly numbers, `2026-12` for a month, the month before for last month's figures."""
    local = when.astimezone(zone).date()
    if survey.period == "week":
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02}"
    if survey.period == "last_month":
        local = local.replace(day=1) - timedelta(days=1)
    return f"{local.year}-{local.month:02}"


def audience_people(session: Session, audience: dict[str, Any]) -> list[int]:
    """Active people with one of the roles (or everyone), optionally at some sites, plus named people."""
    roles = [r for r in audience.get("roles", []) if r != "everyone"]
    sites = audience.get("sites", [])
    chosen = (
        roster_queries.active_person_ids(session, roles=roles, site_names=sites)
        if (roles or sites or "everyone" in audience.get("roles", []))
        else set()
    )
    chosen |= roster_queries.person_ids_named(session, names=audience.get("people", []))
    return sorted(chosen)


def schedule_run(
    session: Session,
    *,
    survey: Survey,
    audience: dict[str, Any],
    opens_at: datetime,
    closes_at: datetime,
    recurrence: Recurrence,
    created_by: int | None,
    zone: ZoneInfo,
    now: datetime,
) -> SurveyRun:
    """Store a run and the task that opens it (at once when `opens_at` is now)."""
    run = survey_data.create_run(
        session,
        survey_id=survey.id,
        period=period_of(survey, opens_at, zone),
        audience=audience,
        anonymous=survey.anonymous,
        recurrence=recurrence,
        created_by=created_by,
        opens_at=opens_at,
        closes_at=closes_at,
        at=now,
    )
    tasks.schedule(session, kind=OPEN, due_at=opens_at, payload={"run_id": run.id}, key=f"survey-open:{run.id}")
    return run


def open_now(session: Session, *, run: SurveyRun, zone: ZoneInfo, now: datetime) -> list[Reply]:
    """Invite the audience, send each an intro with [Start] [Later], schedule reminders and the close."""
    if not survey_data.open_run(session, run_id=run.id or 0):
        return []
    survey = shipped()[run.survey_id]
    people = audience_people(session, run.audience)
    invite_ids = survey_data.invite(session, run_id=run.id or 0, person_ids=people, at=now)
    tasks.schedule(session, kind=CLOSE, due_at=run.closes_at, payload={"run_id": run.id}, key=f"survey-close:{run.id}")
    zones = roster_queries.site_zones(session, person_ids=people)
    replies = []
    for invite_row in survey_queries.invites(session, invite_ids=invite_ids):
        replies.append(intro(survey, run, invite_row, zone))
        for number, after in enumerate(REMIND_AFTER, start=1):
            due = in_waking_hours(now + after, zone_named(zones.get(invite_row.person_id), zone))
            if due < run.closes_at:
                tasks.schedule(
                    session,
                    kind=REMIND,
                    due_at=due,
                    payload={"invite_id": invite_row.id},
                    key=f"survey-remind:{invite_row.id}:{number}",
                )
    return replies


def intro(survey: Survey, run: SurveyRun, invite_row: SurveyInvite, zone: ZoneInfo) -> Reply:
    """The invitation: title, what it is for, how long, until when; [Start] [Later]."""
    closes = run.closes_at.astimezone(zone)
    lines = [
        _("📋 {title}", title=survey.title.both),
        survey.intro.msg,
        n_(
            "{count} question, about {minutes} min. Open until {day} {time}.",
            "{count} questions, about {minutes} min. Open until {day} {time}.",
            len(survey.questions),
            minutes=max(1, len(survey.questions) // 3),
            day=closes.date(),
            time=closes.time(),
        ),
    ]
    if survey.anonymous:
        lines.append(_("Anonymous: the Hub sees totals, not who answered what."))
    choices = (Choice(_("Start"), f"sv:start:{invite_row.id}"), Choice(_("Later"), f"sv:later:{invite_row.id}"))
    return tell(invite_row.person_id, *lines, choices=choices, routine=True)


def in_waking_hours(when: datetime, zone: ZoneInfo) -> datetime:
    """The same time if it falls between 7:00 and 19:00 where the person is, else the next 7:00 there."""
    local = when.astimezone(zone)
    if WAKING[0] <= local.time() < WAKING[1]:
        return when
    day: date = local.date() if local.time() < WAKING[0] else local.date() + timedelta(days=1)
    return datetime.combine(day, WAKING[0], tzinfo=zone)


def remind(session: Session, *, invite_id: int, zone: ZoneInfo, now: datetime) -> list[Reply]:
    """A reminder to one person, only if she has not answered, the run is open, and it is waking hours."""
    invite_row = session.get(SurveyInvite, invite_id)
    run = session.get(SurveyRun, invite_row.run_id) if invite_row is not None else None
    if invite_row is None or run is None or invite_row.status == InviteStatus.SUBMITTED or invite_row.preview:
        return []
    if run.status != RunStatus.OPEN or now >= run.closes_at:
        return []
    if invite_row.last_reminded_at is not None and now - invite_row.last_reminded_at < REMIND_GAP:
        return []
    person_zone = _zone_of(session, invite_row.person_id, zone)
    if in_waking_hours(now, person_zone) != now:
        later = in_waking_hours(now, person_zone)
        if later < run.closes_at:
            tasks.schedule(
                session,
                kind=REMIND,
                due_at=later,
                payload={"invite_id": invite_id},
                key=f"survey-remind:{invite_id}:at:{int(later.timestamp())}",
            )
        return []
    survey_data.record_reminder(session, invite_id=invite_id, at=now)
    survey = shipped()[run.survey_id]
    closes = run.closes_at.astimezone(person_zone)
    return [
        tell(
            invite_row.person_id,
            _(
                "Reminder: “{title}” is still open until {day} {time}. It takes a few minutes.",
                title=survey.title.both,
                day=closes.date(),
                time=closes.time(),
            ),
            choices=(Choice(_("Continue"), f"sv:start:{invite_id}"),),
            routine=True,
        )
    ]


def close(session: Session, *, run_id: int, zone: ZoneInfo, now: datetime) -> list[Reply]:
    """Close the run; a recurring one schedules its next run, opening a week or a month later."""
    run = session.get(SurveyRun, run_id)
    if run is None or not survey_data.close_run(session, run_id=run_id, at=now):
        return []
    if run.recurrence in (Recurrence.WEEKLY, Recurrence.MONTHLY):
        opens_at = next_time(run.opens_at, run.recurrence, zone)
        open_for = _wall(run.closes_at, zone) - _wall(run.opens_at, zone)  # "three days, until 17:00" stays so
        schedule_run(
            session,
            survey=shipped()[run.survey_id],
            audience=run.audience,
            opens_at=opens_at,
            closes_at=(_wall(opens_at, zone) + open_for).replace(tzinfo=zone).astimezone(opens_at.tzinfo),
            recurrence=run.recurrence,
            created_by=run.created_by,
            zone=zone,
            now=now,
        )
    return []


def next_time(when: datetime, recurrence: Recurrence, zone: ZoneInfo) -> datetime:
    """The same local time a week or a month later (across daylight-saving changes); a run on the last day of a
    month moves to the last day of the next (31 Jan → 28 Feb → 31 Mar), other days keep their day (clamped)."""
    local = _wall(when, zone)
    if recurrence == Recurrence.WEEKLY:
        step = relativedelta(weeks=1)
    elif (local + timedelta(days=1)).month != local.month:
        step = relativedelta(months=1, day=31)
    else:
        step = relativedelta(months=1)
    following: datetime = (local + step).replace(tzinfo=zone)
    return following.astimezone(when.tzinfo)


def _wall(when: datetime, zone: ZoneInfo) -> datetime:
    """The local wall-clock time, without its zone (so adding days keeps the time of day)."""
    return when.astimezone(zone).replace(tzinfo=None)


def _zone_of(session: Session, person_id: int, fallback: ZoneInfo) -> ZoneInfo:
    return zone_named(roster_queries.site_zones(session, person_ids=[person_id]).get(person_id), fallback)
