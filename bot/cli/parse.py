"""`alliance-bot parse`: how a free-text request is understood (spec/parsing.md)."""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from bot.cli.common import BadInput, fail, iso_time, load_settings
from handlers.parsing import CLOSES, OPENS, parse_request

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
Hours = tuple[time | None, time | None]
OPTIONS, FIELDS = ("--opens", "--closes"), ('"opens"', '"closes"')  # how hours are named where they were given


def parse(
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help="The message; without it, JSON lines are read from stdin.")
    ] = None,
    now: Annotated[
        str | None, typer.Option("--now", metavar="ISO", help="When it was written, in --tz; default now.")
    ] = None,
    tz: Annotated[
        str | None, typer.Option("--tz", metavar="ZONE", help="IANA zone of the site; default ALLIANCE_TIMEZONE.")
    ] = None,
    opens: Annotated[
        str | None, typer.Option("--opens", metavar="HH:MM", help="The site opens; default 07:00.")
    ] = None,
    closes: Annotated[
        str | None, typer.Option("--closes", metavar="HH:MM", help="The site closes; default 18:00.")
    ] = None,
    details: Annotated[
        bool, typer.Option("--details", help="Also weekly, impossible_date, unknown_room and far_ahead.")
    ] = False,
) -> None:
    """Show the shifts, age group, reason, what is missing and whether it is past, as JSON."""
    zone = _zone(tz, "--tz") if tz else _zone(load_settings().alliance_timezone, "ALLIANCE_TIMEZONE")
    when = _when(now, zone, "--now")
    hours = _ordered(_hours(opens, closes, OPTIONS), OPTIONS)
    if text is not None:
        parsed = parse_request(text, now=when, zone=zone, opens=hours[0], closes=hours[1])
        typer.echo(_dump(parsed.as_json(details=details)))
        return
    bad = _batch(zone, when, hours, details)
    if bad:
        fail(f'{bad} line(s) could not be read; each has an "error" in its place')


def _batch(default_zone: ZoneInfo, default_now: datetime, default_hours: Hours, details: bool) -> int:
    """One JSON line out per line in, in order; a bad line gets {"error": …}. Returns how many were bad."""
    bad = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise BadInput('each line needs an object with "text"')
            zone = _zone(item["tz"], '"tz"') if item.get("tz") else default_zone
            when = _when(item["now"], zone, '"now"') if item.get("now") else default_now
            opens, closes = _hours(item.get("opens"), item.get("closes"), FIELDS)
            hours = _ordered((opens or default_hours[0], closes or default_hours[1]), FIELDS)
            parsed = parse_request(item["text"], now=when, zone=zone, opens=hours[0], closes=hours[1])
            result: dict[str, Any] = parsed.as_json(details=details)
        except ValueError as problem:  # json.JSONDecodeError is a ValueError
            result, bad = {"error": f"line {number}: {problem}"}, bad + 1
        typer.echo(_dump(result))
    return bad


def _hours(opens: object, closes: object, names: tuple[str, str]) -> Hours:
    """The site's opening and closing times as given (None when not), checked as HH:MM."""
    return (
        _clock(opens, names[0]) if opens is not None else None,
        _clock(closes, names[1]) if closes is not None else None,
    )


def _ordered(hours: Hours, names: tuple[str, str]) -> Hours:
    if (hours[0] or OPENS) >= (hours[1] or CLOSES):
        raise BadInput(f"the site must open before it closes ({names[0]}, {names[1]})")
    return hours


def _clock(value: object, name: str) -> time:
    match = _HHMM.match(value) if isinstance(value, str) else None
    if match is None:
        raise BadInput(f"{name}: {value!r} is not a time such as 07:00 (HH:MM, 24-hour)")
    return time(int(match[1]), int(match[2]))


def _zone(name: object, given_as: str) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))  # a JSON line may give any value
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadInput(f"{given_as}: unknown time zone {name!r} (use an IANA name such as America/New_York)") from exc


def _when(now: object, zone: ZoneInfo, given_as: str) -> datetime:
    if now is None:
        return datetime.now(zone)
    return iso_time(str(now), given_as=given_as, zone=zone).astimezone(zone)


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)
