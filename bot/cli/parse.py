"""`alliance-bot parse`: how a free-text request is understood (spec/parsing.md)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from bot.cli.common import BAD_INPUT, fail, load_settings
from handlers.parsing import parse_request


def parse(
    text: Annotated[str | None, typer.Argument(help="The message; without it, JSON lines are read from stdin.")] = None,
    now: Annotated[str | None, typer.Option("--now", help="When it was written (ISO), in --tz; default now.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="IANA zone of the site; default ALLIANCE_TIMEZONE.")] = None,
) -> None:
    """Show the shifts, age group, reason and what is missing, as JSON."""
    try:
        zone = _zone(tz or load_settings().alliance_timezone)
        when = _when(now, zone)
    except ValueError as problem:
        fail(str(problem))
    if text is not None:
        typer.echo(_dump(parse_request(text, now=when, zone=zone).as_json()))
        return
    if not _batch(zone, when):
        raise typer.Exit(BAD_INPUT)


def _batch(default_zone: ZoneInfo, default_now: datetime) -> bool:
    """One JSON line out per line in, in order; a bad line gets {"error": …}. True when all were good."""
    all_good = True
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError('each line needs an object with "text"')
            zone = _zone(item["tz"]) if item.get("tz") else default_zone
            when = _when(item["now"], zone) if item.get("now") else default_now
            result: dict[str, Any] = parse_request(item["text"], now=when, zone=zone).as_json()
        except ValueError as problem:  # json.JSONDecodeError is a ValueError
            result, all_good = {"error": f"line {number}: {problem}"}, False
        typer.echo(_dump(result))
    return all_good


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"--tz: unknown time zone {name!r} (use an IANA name such as America/New_York)") from exc


def _when(now: str | None, zone: ZoneInfo) -> datetime:
    if now is None:
        return datetime.now(zone)
    try:
        when = datetime.fromisoformat(now)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"--now: {now!r} is not an ISO date and time such as 2026-11-30T06:05") from exc
    return when.astimezone(zone) if when.tzinfo else when.replace(tzinfo=zone)


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)
