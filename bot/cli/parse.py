"""`alliance-bot parse`: how a free-text request is understood (spec/parsing.md)."""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from bot.cli.common import BAD_INPUT, fail, load_settings
from handlers.parsing import CLOSES, OPENS, parse_request

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
Hours = tuple[time | None, time | None]


def parse(
    text: Annotated[str | None, typer.Argument(help="The message; without it, JSON lines are read from stdin.")] = None,
    now: Annotated[str | None, typer.Option("--now", help="When it was written (ISO), in --tz; default now.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="IANA zone of the site; default ALLIANCE_TIMEZONE.")] = None,
    opens: Annotated[str | None, typer.Option("--opens", help="The site opens (HH:MM); default 07:00.")] = None,
    closes: Annotated[str | None, typer.Option("--closes", help="The site closes (HH:MM); default 18:00.")] = None,
    details: Annotated[
        bool, typer.Option("--details", help="Also weekly, impossible_date, unknown_room and far_ahead.")
    ] = False,
) -> None:
    """Show the shifts, age group, reason, what is missing and whether it is past, as JSON."""
    try:
        zone = _zone(tz or load_settings().alliance_timezone)
        when = _when(now, zone)
        hours = _ordered(_hours(opens, closes))
    except ValueError as problem:
        fail(str(problem))
    if text is not None:
        parsed = parse_request(text, now=when, zone=zone, opens=hours[0], closes=hours[1])
        typer.echo(_dump(parsed.as_json(details=details)))
        return
    if not _batch(zone, when, hours, details):
        raise typer.Exit(BAD_INPUT)


def _batch(default_zone: ZoneInfo, default_now: datetime, default_hours: Hours, details: bool) -> bool:
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
            opens, closes = _hours(item.get("opens"), item.get("closes"), quoted=True)
            hours = _ordered((opens or default_hours[0], closes or default_hours[1]))
            parsed = parse_request(item["text"], now=when, zone=zone, opens=hours[0], closes=hours[1])
            result: dict[str, Any] = parsed.as_json(details=details)
        except ValueError as problem:  # json.JSONDecodeError is a ValueError
            result, all_good = {"error": f"line {number}: {problem}"}, False
        typer.echo(_dump(result))
    return all_good


def _hours(opens: object, closes: object, *, quoted: bool = False) -> Hours:
    """The site's opening and closing times as given (None when not), checked as HH:MM."""
    return (
        _clock(opens, '"opens"' if quoted else "--opens") if opens is not None else None,
        _clock(closes, '"closes"' if quoted else "--closes") if closes is not None else None,
    )


def _ordered(hours: Hours) -> Hours:
    if (hours[0] or OPENS) >= (hours[1] or CLOSES):
        raise ValueError("the site must open before it closes (--opens, --closes)")
    return hours


def _clock(value: object, name: str) -> time:
    match = _HHMM.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{name}: {value!r} is not a time such as 07:00 (HH:MM, 24-hour)")
    return time(int(match[1]), int(match[2]))


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
