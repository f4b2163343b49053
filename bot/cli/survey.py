"""`alliance-bot survey list | preview | send | remind | close | results`."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, col, select

from bot.cli.common import database, fail, group, iso_time, load_settings, writing
from bot.config import core_config
from handlers.clock import SystemClock
from handlers.context import CoreConfig
from handlers.delivery import enqueue_replies
from handlers.surveys import results, runs
from handlers.surveys.schema import Survey, shipped
from models.db import one_session
from models.roster.vocab import Language, Role
from models.surveys import queries as survey_queries
from models.surveys.tables import InviteStatus, Recurrence, SurveyRun

app = group("Surveys: send them, remind, close, and get the results.")

SurveyId = Annotated[str, typer.Argument(metavar="SURVEY", help="A survey's id, as `survey list` shows it.")]
RunId = Annotated[int, typer.Argument(metavar="RUN", help="A run's number, as `survey list` shows it.")]


class Format(StrEnum):
    text = "text"
    csv = "csv"
    xlsx = "xlsx"


def _setup() -> tuple[str, CoreConfig]:
    settings = load_settings()
    return database(settings.database_url), core_config(settings)


def _run(session: Session, run_id: int) -> SurveyRun:
    """A run that was sent (a Hub person's own preview is none); a number that is no run is bad input."""
    run = session.get(SurveyRun, run_id)
    if run is None or survey_queries.is_preview(run):
        fail(f"there is no survey run {run_id}; `alliance-bot survey list` shows them")
    return run


def _survey(survey_id: str) -> Survey:
    survey = shipped().get(survey_id)
    if survey is None:
        fail(f"unknown survey {survey_id!r}; `alliance-bot survey list` shows them")
    return survey


@app.command("list")
def list_() -> None:
    """The surveys you can send, then the runs sent so far."""
    for survey in shipped().values():
        kind = "anonymous, " if survey.anonymous else ""
        typer.echo(f"{survey.id:<18} {survey.title.en} ({kind}{len(survey.questions)} questions)")
    url, _config = _setup()
    with one_session(url) as session:
        for run in session.exec(select(SurveyRun).where(survey_queries.SENT_RUN).order_by(col(SurveyRun.id))).all():
            invited = survey_queries.counted_invites(session, run_id=run.id or 0)
            done = sum(1 for i in invited if i.status == InviteStatus.SUBMITTED)
            typer.echo(f"run {run.id}: {run.survey_id} {run.period} {run.status}, {done}/{len(invited)} answered")


@app.command("preview")
def preview(
    survey_id: SurveyId,
    lang: Annotated[Language, typer.Option("--lang", help="The language to read it in.")] = Language.en,
) -> None:
    """Print the questions as people will read them."""
    survey = _survey(survey_id)
    typer.echo(f"{survey.title.get(lang)}\n{survey.intro.get(lang)}")
    for n, question in enumerate(survey.questions, start=1):
        optional = "" if question.required else " (optional)"
        typer.echo(f"{n}. {question.text.get(lang)} [{question.type}{optional}]")
        for option in question.options:
            typer.echo(f"   - {option.label.get(lang)}")
        for value, label in enumerate(question.labels, start=1):
            typer.echo(f"   {value} · {label.get(lang)}")
        if question.type == "number":
            typer.echo(
                f"   {question.min:g} to {question.max:g}{' ' + question.unit.get(lang) if question.unit else ''}"
            )


@app.command("send")
def send(
    survey_id: SurveyId,
    to: Annotated[
        list[str],
        typer.Option("--to", metavar="WHO", help="role:director, site:NAME or person:NAME; repeat it for more."),
    ],
    days: Annotated[int, typer.Option("--days", metavar="DAYS", min=1, max=60, help="How long it stays open.")] = 3,
    at: Annotated[
        str | None, typer.Option("--at", metavar="ISO", help="Open at this time (Alliance zone); default now.")
    ] = None,
    every: Annotated[Recurrence, typer.Option("--every", help="Send it again after each close.")] = Recurrence.NONE,
) -> None:
    """Send now (or at --at) to an audience; it closes after --days and can recur."""
    survey = _survey(survey_id)
    audience = _audience(to)
    settings = load_settings()
    config, now = core_config(settings), SystemClock().now()
    opens = iso_time(at, given_as="--at", zone=config.zone) if at else now
    if opens < now.replace(second=0, microsecond=0):
        fail(f"--at {at}: that time has passed (it is now {now.astimezone(config.zone):%Y-%m-%dT%H:%M})")
    with one_session(database(settings.database_url)) as session:
        _reaches_someone(session, to)
        run = runs.schedule_run(
            session,
            survey=survey,
            audience=audience,
            opens_at=opens,
            closes_at=opens + timedelta(days=days),
            recurrence=every,
            created_by=None,
            zone=config.zone,
            now=now,
        )
        replies = runs.open_now(session, run=run, zone=config.zone, now=now) if opens <= now else []
        enqueue_replies(session, replies, at=now, config=config)
        state = f"invited {len(replies)} people" if opens <= now else f"opens {opens.isoformat()}"
        typer.echo(f"run {run.id}: {state}, closes {run.closes_at.isoformat()}")


@app.command("remind")
def remind(run_id: RunId) -> None:
    """Remind everyone who has not answered (at 7:00 their time if it is night there)."""
    url, config = _setup()
    now = SystemClock().now()
    with one_session(url) as session:
        _run(session, run_id)
        replies = []
        for invite_row in survey_queries.non_responders(session, run_id=run_id):
            replies += runs.remind(session, invite_id=invite_row.id or 0, zone=config.zone, now=now)
        enqueue_replies(session, replies, at=now, config=config)
    typer.echo(f"reminded {len(replies)} now")


@app.command("close")
def close(run_id: RunId) -> None:
    """Close the run now; a recurring one schedules its next run."""
    url, config = _setup()
    with one_session(url) as session:
        _run(session, run_id)
        runs.close(session, run_id=run_id, zone=config.zone, now=SystemClock().now())
    typer.echo(f"run {run_id} closed")


@app.command("results")
def results_(
    survey_id: SurveyId,
    run: Annotated[
        int | None, typer.Option("--run", metavar="RUN", help="One run; default all runs of the survey.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="A summary, or one row per response.")] = Format.text,
    out: Annotated[Path | None, typer.Option("--out", metavar="FILE", help="File for csv or xlsx.")] = None,
) -> None:
    """A summary, or one row per response as CSV or XLSX (pandas; openpyxl for XLSX)."""
    survey = _survey(survey_id)
    if fmt != Format.text and out is None:
        fail(f"--format {fmt} needs --out FILE")
    url, _config = _setup()
    with one_session(url) as session:
        if run is not None and (one_run := _run(session, run)).survey_id != survey.id:
            fail(f"run {run} is a run of {one_run.survey_id}, not of {survey.id}")
        statement = select(SurveyRun).where(SurveyRun.survey_id == survey.id, survey_queries.SENT_RUN)
        chosen = [r for r in session.exec(statement).all() if run is None or r.id == run]
        if not chosen:
            fail(f"{survey.id} has not been sent yet")
        if fmt == Format.text:
            for one in chosen:
                typer.echo("\n".join(line.render("en") for line in results.summary(session, survey, one)))
            return
        table = results.frame(session, survey, chosen)
    assert out is not None
    with writing("--out", out):
        if fmt == Format.csv:
            table.to_csv(out, index=False)
        else:
            table.to_excel(out, index=False, engine="openpyxl")
    typer.echo(f"wrote {len(table)} responses to {out}")


def _audience(targets: list[str]) -> dict[str, list[str]]:
    audience: dict[str, list[str]] = {"roles": [], "sites": [], "people": []}
    for target in targets:
        kind, _sep, value = target.partition(":")
        if kind == "role" and (value in {r.value for r in Role} or value == "everyone"):
            audience["roles"].append(value)
        elif kind in ("site", "person") and value:
            audience[kind + "s" if kind == "site" else "people"].append(value)
        else:
            roles = "teacher, floater, director, supervisor, hub, everyone"
            fail(f"--to {target!r}: use role:ROLE ({roles}), site:NAME or person:NAME")
    return {k: v for k, v in audience.items() if v}


def _reaches_someone(session: Session, targets: list[str]) -> None:
    """Each --to must name someone on the roster: a typo would otherwise send to fewer people, or to nobody."""
    for target in targets:
        if not runs.audience_people(session, _audience([target])):
            fail(f"--to {target!r} matches nobody on the roster; nothing was sent")
