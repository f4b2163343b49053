"""`alliance-bot roster import | export`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import database, file_problems, group, load_settings, read_file, writing
from handlers.menu import redraw
from models.db import one_session
from models.problems import FileProblems
from models.roster.apply import import_roster
from models.roster.export import export_people, export_preferences, export_sites
from models.roster.files import read_people, read_preferences, read_sites

app = group("The roster: sites, rooms and people, as CSV files.")


@app.command("import")
def import_(
    people_csv: Annotated[Path, typer.Argument(metavar="PEOPLE.csv", help="People, one a row.")],
    sites: Annotated[Path | None, typer.Option("--sites", metavar="SITES.csv", help="Sites and rooms.")] = None,
    preferences: Annotated[
        Path | None, typer.Option("--preferences", metavar="PREFERENCES.csv", help="Favourite and blocked floaters.")
    ] = None,
) -> None:
    """Create or update sites, rooms, people (and favourites/blocks). A file with any bad row imports nothing."""
    settings = load_settings()
    site_rows = read_sites(read_file(sites), sites.name) if sites else None
    people_rows = read_people(read_file(people_csv), people_csv.name)
    preference_rows = read_preferences(read_file(preferences), preferences.name) if preferences else None
    try:
        with one_session(database(settings.database_url)) as session:
            now = datetime.now(UTC)
            report = import_roster(session, sites=site_rows, people=people_rows, preferences=preference_rows, at=now)
            redraw(session, person_ids=report.menus_changed, at=now)  # sent by `serve`'s outbox
    except FileProblems as problem:
        file_problems(problem)
    if not report.changed:
        typer.echo(f"No changes: all {len(report.unchanged)} rows already match the roster.")
        return
    for label, names in (("Created", report.created), ("Updated", report.updated)):
        if names:
            typer.echo(f"{label} {len(names)}: {', '.join(names)}")
    typer.echo(f"Unchanged: {len(report.unchanged)}")


@app.command("export")
def export(
    out: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Write PEOPLE.csv here instead of stdout.")
    ] = None,
    sites_out: Annotated[
        Path | None, typer.Option("--sites-out", metavar="FILE", help="Also write SITES.csv here.")
    ] = None,
    preferences_out: Annotated[
        Path | None, typer.Option("--preferences-out", metavar="FILE", help="Also write PREFERENCES.csv here.")
    ] = None,
) -> None:
    """Write the roster in the import format."""
    url = database(load_settings().database_url)  # a new database exports an empty roster, not an error
    with one_session(url) as session:
        people_text, sites_text, preferences_text = (
            export_people(session),
            export_sites(session),
            export_preferences(session),
        )
    written = []
    for option, path, text in (
        ("--out", out, people_text),
        ("--sites-out", sites_out, sites_text),
        ("--preferences-out", preferences_out, preferences_text),
    ):
        if path is not None:
            with writing(option, path):
                path.write_text(text, encoding="utf-8")
            written.append(str(path))
    if out is None:
        typer.echo(people_text, nl=False)
    if written:
        typer.echo(f"Wrote {', '.join(written)}", err=True)
