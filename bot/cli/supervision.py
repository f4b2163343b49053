"""`alliance-bot supervision import | export | list`: the sessions supervisors offer, as SLOTS.csv."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli.common import database, file_problems, group, iso_time, iso_week, load_settings, read_file, writing
from models.db import one_session
from models.problems import FileProblems
from models.supervision.apply import SlotsReport, import_slots
from models.supervision.files import Listed, Weekday, export_slots, listed, read_slots
from models.supervision.queries import seats_taken, sessions_between
from scheduler.metrics.weeks import Week, week_of

app = group("Reflective supervision: the sessions supervisors offer, as CSV files.")

NowOption = Annotated[
    str | None,
    typer.Option("--now", metavar="ISO", help="Count from this time (ISO) instead of now; for scripts and tests."),
]


def _setup(now: str | None, week: str | None = None) -> tuple[str, ZoneInfo, datetime, Week]:
    """The database URL (migrated), the Alliance's zone, the time to count from and the week asked for (default:
    this one); what was given is checked before the database is opened."""
    settings = load_settings()
    zone = ZoneInfo(settings.alliance_timezone)
    at = iso_time(now, given_as="--now", zone=zone) if now else datetime.now(UTC)
    chosen = iso_week(week, zone=zone) if week else week_of(at, zone)
    return database(settings.database_url), zone, at, chosen  # a new database has no sessions: not an error


@app.command("import")
def import_(
    slots_csv: Annotated[Path, typer.Argument(metavar="SLOTS.csv", help="Sessions, one a row (or a series).")],
    now: NowOption = None,
) -> None:
    """Publish the file's sessions, all or nothing; one already published (same supervisor and start) is kept."""
    text = read_file(slots_csv)
    url, zone, at, _week = _setup(now)
    try:
        slots = read_slots(text, slots_csv.name)
        with one_session(url) as session:
            report = import_slots(session, slots=slots, at=at, zone=zone)
    except FileProblems as problem:
        file_problems(problem)
    _print(report)


def _print(report: SlotsReport) -> None:
    if not report.changed:
        typer.echo(f"No changes: all {report.unchanged} sessions are already published.")
        return
    typer.echo(f"Created {report.sessions} session(s):")
    for line in report.created:
        typer.echo(f"  {line}")
    typer.echo(f"Unchanged: {report.unchanged} session(s)")


@app.command("export")
def export(
    out: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Write SLOTS.csv here instead of stdout.")
    ] = None,
    now: NowOption = None,
) -> None:
    """Write the open sessions to come, one row each, in the import format."""
    url, zone, at, _week = _setup(now)
    with one_session(url) as session:
        text = export_slots(session, after=at, zone=zone)
    if out is None:
        typer.echo(text, nl=False)
        return
    with writing("--out", out):
        out.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {out}", err=True)


@app.command("list")
def list_(
    week: Annotated[
        str | None, typer.Option("--week", metavar="WEEK", help="ISO week such as 2026-W50; default this week.")
    ] = None,
    now: NowOption = None,
) -> None:
    """The week's open sessions: day and time where they are held, supervisor, place, seats taken/capacity."""
    url, zone, _at, chosen = _setup(now, week)
    with one_session(url) as session:
        sessions = sessions_between(session, start=chosen.start, end=chosen.end)
        taken = seats_taken(session, session_ids=[s.id for s in sessions if s.id is not None])
        items = listed(session, sessions, zone)
    if not items:
        typer.echo(f"No sessions in {chosen.label}.")
        return
    typer.echo(f"{chosen.label}: {len(items)} session(s)")
    for row in _table(items, taken):
        typer.echo(row)


def _table(items: list[Listed], taken: dict[int, int]) -> list[str]:
    """`Tue 2026-12-08 10:00–11:00  Olivia Reed  Sunflower Center  0/1`, columns aligned."""
    cells = [
        (
            f"{Weekday(item.starts.weekday()).label} {item.starts:%Y-%m-%d %H:%M}–{item.ends:%H:%M}",
            item.supervisor,
            item.place,
            f"{taken.get(item.id, 0)}/{item.capacity}",
        )
        for item in items
    ]
    widths = [max(len(row[column]) for row in cells) for column in range(3)]
    return ["  ".join([*(row[column].ljust(widths[column]) for column in range(3)), row[3]]) for row in cells]
