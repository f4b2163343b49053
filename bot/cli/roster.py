"""`alliance-bot roster import | export`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import fail, load_settings, read_file
from models.db import one_session, upgrade
from models.problems import FileProblems
from models.roster.apply import import_roster
from models.roster.export import export_people, export_preferences, export_sites
from models.roster.files import read_people, read_preferences, read_sites

app = typer.Typer(help="The roster: sites, rooms and people, as CSV files.", no_args_is_help=True)


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
        upgrade(settings.database_url)
        with one_session(settings.database_url) as session:
            report = import_roster(
                session, sites=site_rows, people=people_rows, preferences=preference_rows, at=datetime.now(UTC)
            )
    except FileProblems as problem:
        for error in problem.errors:
            typer.echo(str(error), err=True)
        fail(f"{len(problem.errors)} problem(s) found; nothing was imported")
    if not report.changed:
        typer.echo(f"No changes: all {len(report.unchanged)} rows already match the roster.")
        return
    for label, names in (("Created", report.created), ("Updated", report.updated)):
        if names:
            typer.echo(f"{label} {len(names)}: {', '.join(names)}")
    typer.echo(f"Unchanged: {len(report.unchanged)}")


@app.command("export")
def export(
    out: Annotated[Path | None, typer.Option("--out", help="Write PEOPLE.csv here instead of stdout.")] = None,
    sites_out: Annotated[Path | None, typer.Option("--sites-out", help="Also write SITES.csv here.")] = None,
    preferences_out: Annotated[
        Path | None, typer.Option("--preferences-out", help="Also write PREFERENCES.csv here.")
    ] = None,
) -> None:
    """Write the roster in the import format."""
    settings = load_settings()
    upgrade(settings.database_url)  # a new database exports an empty roster, not an error
    with one_session(settings.database_url) as session:
        people_text, sites_text, preferences_text = (
            export_people(session),
            export_sites(session),
            export_preferences(session),
        )
    if sites_out is not None:
        sites_out.write_text(sites_text, encoding="utf-8")
    if preferences_out is not None:
        preferences_out.write_text(preferences_text, encoding="utf-8")
    if out is None:
        typer.echo(people_text, nl=False)
    else:
        out.write_text(people_text, encoding="utf-8")
        typer.echo(f"Wrote {out}" + (f" and {sites_out}" if sites_out else ""), err=True)
