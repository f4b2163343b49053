"""Hub staff and surveys: /surveys lists them; buttons send (who, for how long, how often), preview, show results,
list who has not answered, remind and close. Every step is in the button payload; nothing waits in a state."""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.errors import UserError
from handlers.i18n import Msg, _, n_
from handlers.labels import role_label
from handlers.registry import registry
from handlers.surveys import ask, results, runs
from handlers.surveys.schema import shipped
from models.roster import queries as roster_queries
from models.surveys import data as survey_data
from models.surveys import queries as survey_queries
from models.surveys.tables import PREVIEW_PERIOD, InviteStatus, Recurrence, RunStatus, SurveyRun

HUB = frozenset({"hub"})
DURATIONS = (2, 3, 7)
REPEATS = tuple(Recurrence)


@registry.command("surveys", _("send surveys, see results and who has not answered"), roles=HUB, spanish="encuestas")
def surveys(ctx: Ctx, args: str) -> list[Reply]:
    """Each survey with [Send] and [Preview]; then the open runs with their response counts."""
    replies = []
    for survey in shipped().values():
        choices = (Choice(_("Send"), f"ss:{survey.id}"), Choice(_("Preview"), f"sp:{survey.id}"))
        replies.append(
            reply(
                n_(
                    "📋 {title} — {count} question",
                    "📋 {title} — {count} questions",
                    len(survey.questions),
                    title=survey.title.both,
                ),
                choices=choices,
            )
        )
    return replies + run_replies(ctx)


def run_replies(ctx: Ctx) -> list[Reply]:
    """The recent runs, each with how many have answered and its buttons (/surveys and the Hub's Home tab)."""
    replies: list[Reply] = []
    for run in _recent_runs(ctx):
        invited = survey_queries.counted_invites(ctx.session, run_id=run.id or 0)
        done = sum(1 for i in invited if i.status == InviteStatus.SUBMITTED)
        title = shipped()[run.survey_id].title.both
        line = _(
            "{title} {period}: {done} of {asked} answered, {status}",
            title=title,
            period=run.period,
            done=done,
            asked=len(invited),
            status=_status(run),
        )
        buttons: tuple[Choice, ...] = (
            Choice(_("Results"), f"sres:{run.id}"),
            Choice(_("Who hasn't answered"), f"snr:{run.id}"),
            Choice(_("Remind"), f"srm:{run.id}"),
            Choice(_("Close"), f"scl:{run.id}"),
        )
        replies.append(reply(line, choices=buttons if run.status == RunStatus.OPEN else buttons[:2]))
    return replies


@registry.button("ss")
def send_step(ctx: Ctx, arg: str) -> list[Reply]:
    """ss:ID → who; ss:ID:ROLE → for how long; ss:ID:ROLE:DAYS → how often; ss:ID:ROLE:DAYS:REPEAT → sent."""
    _hub_only(ctx)
    parts = arg.split(":")
    survey = shipped().get(parts[0])
    if survey is None:
        raise UserError(_("I don't know that survey. Send /surveys to see them."))
    if len(parts) == 1:
        choices = tuple(Choice(_audience_label(a), f"ss:{survey.id}:{a}") for a in runs.AUDIENCES)
        return [reply(_("Send “{title}” to whom?", title=survey.title.both), choices=choices)]
    if len(parts) == 2:
        choices = tuple(Choice(n_("{count} day", "{count} days", d), f"ss:{arg}:{d}") for d in DURATIONS)
        return [reply(_("How long should it stay open?"), choices=choices)]
    if len(parts) == 3:
        labels = {Recurrence.NONE: _("Once"), Recurrence.WEEKLY: _("Every week"), Recurrence.MONTHLY: _("Every month")}
        return [
            reply(
                _("Once, or again on a schedule?"), choices=tuple(Choice(labels[r], f"ss:{arg}:{r}") for r in REPEATS)
            )
        ]
    audience, days, repeat = parts[1], int(parts[2]) if parts[2].isdigit() else 0, parts[3]
    if audience not in runs.AUDIENCES or days not in DURATIONS or repeat not in REPEATS:
        raise UserError(_("That button is no longer active. Send /surveys to start again."))
    now = ctx.clock.now()
    if _sent_just_now(ctx, survey.id, audience):
        return [reply(_("This survey was just sent to them; nothing was sent twice."))]
    run = runs.schedule_run(
        ctx.session,
        survey=survey,
        audience={"roles": [audience]},
        opens_at=now,
        closes_at=now + timedelta(days=days),
        recurrence=Recurrence(repeat),
        created_by=ctx.person_id,
        zone=ctx.config.zone,
        now=now,
    )
    intros = runs.open_now(ctx.session, run=run, zone=ctx.config.zone, now=now)
    return [
        reply(
            n_(
                "Sent “{title}” to {count} person. Send /surveys to follow the answers.",
                "Sent “{title}” to {count} people. Send /surveys to follow the answers.",
                len(intros),
                title=survey.title.both,
            )
        ),
        *intros,
    ]


@registry.button("sp")
def preview(ctx: Ctx, arg: str) -> list[Reply]:
    """Take the survey yourself: stored as a preview run, which every list and count leaves out (SENT_RUN)."""
    _hub_only(ctx)
    survey = shipped().get(arg)
    if survey is None:
        raise UserError(_("I don't know that survey. Send /surveys to see them."))
    now = ctx.clock.now()
    run = survey_data.create_run(
        ctx.session,
        survey_id=survey.id,
        period=PREVIEW_PERIOD,
        audience={"preview": True},
        anonymous=survey.anonymous,
        recurrence=Recurrence.NONE,
        created_by=ctx.person_id,
        opens_at=now,
        closes_at=now + timedelta(days=1),
        at=now,
    )
    survey_data.open_run(ctx.session, run_id=run.id or 0)
    (invite_id,) = survey_data.invite(ctx.session, run_id=run.id or 0, person_ids=[ctx.person_id], at=now, preview=True)
    invite_row, _run, _survey = ask.load(ctx, invite_id)
    return [
        reply(_("Preview of “{title}”: answer as a director would. Nothing will be counted.", title=survey.title.both)),
        *ask.ask(ctx, invite_row, survey, 0),
    ]


@registry.button("sres")
def show_results(ctx: Ctx, arg: str) -> list[Reply]:
    run = _run(ctx, arg)
    return [reply(*results.summary(ctx.session, shipped()[run.survey_id], run))]


@registry.button("snr")
def not_answered(ctx: Ctx, arg: str) -> list[Reply]:
    """Names for a named survey; only the count for an anonymous one."""
    run = _run(ctx, arg)
    waiting = survey_queries.non_responders(ctx.session, run_id=run.id or 0)
    if not waiting:
        return [reply(_("Everyone has answered."))]
    if run.anonymous:
        return [
            reply(
                n_(
                    "{count} person has not answered. This survey is anonymous, so names are not shown.",
                    "{count} people have not answered. This survey is anonymous, so names are not shown.",
                    len(waiting),
                )
            )
        ]
    people = roster_queries.people_by_id(ctx.session, ids=[i.person_id for i in waiting])
    names = sorted(people[i.person_id].name for i in waiting if i.person_id in people)
    return [reply(_("Not answered yet ({count}): {names}", count=len(names), names=", ".join(names)))]


@registry.button("srm")
def remind_now(ctx: Ctx, arg: str) -> list[Reply]:
    """Reminds everyone who has not answered — now where it is daytime, at 7:00 where it is not."""
    run = _run(ctx, arg)
    now = ctx.clock.now()
    sent: list[Reply] = []
    waiting = survey_queries.non_responders(ctx.session, run_id=run.id or 0)
    for invite_row in waiting:
        sent += runs.remind(ctx.session, invite_id=invite_row.id or 0, zone=ctx.config.zone, now=now)
    return [
        reply(
            _(
                "Reminded {now} now; {later} will be reminded in the morning.",
                now=len(sent),
                later=len(waiting) - len(sent),
            )
        ),
        *sent,
    ]


@registry.button("scl")
def close_now(ctx: Ctx, arg: str) -> list[Reply]:
    run = _run(ctx, arg)
    runs.close(ctx.session, run_id=run.id or 0, zone=ctx.config.zone, now=ctx.clock.now())
    return [reply(_("Closed. Late answers will be kindly refused."))]


def _run(ctx: Ctx, arg: str) -> SurveyRun:
    _hub_only(ctx)
    run = ctx.session.get(SurveyRun, int(arg)) if arg.isdigit() else None
    if run is None:
        raise UserError(_("That button is no longer active. Send /surveys to start again."))
    return run


def _hub_only(ctx: Ctx) -> None:
    if "hub" not in ctx.roles:
        raise UserError(_("Only Hub staff can do that."))


def _recent_runs(ctx: Ctx) -> list[SurveyRun]:
    return survey_queries.recent_runs(ctx.session, limit=6)


def _sent_just_now(ctx: Ctx, survey_id: str, audience: str) -> bool:
    """A double tap on the last button must not send the survey twice."""
    since = ctx.clock.now() - timedelta(minutes=2)
    recent = survey_queries.runs_created_since(ctx.session, survey_id=survey_id, since=since)
    return any(run.audience.get("roles") == [audience] for run in recent)


def _status(run: SurveyRun) -> Msg:
    return {RunStatus.OPEN: _("open"), RunStatus.CLOSED: _("closed")}.get(run.status, _("scheduled"))


def _audience_label(audience: str) -> Msg:
    return _("everyone") if audience == "everyone" else _("every {role}", role=role_label(audience))
