"""`alliance-bot parse` as scripts use it: one text, or JSON lines in and out, in order — through the installed
script for one text and for bad usage, and in this process for the rest (the same CLI, without its start-up)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli import invoke

CLI = Path(sys.executable).with_name("alliance-bot")


@dataclass
class Parsed:
    returncode: int
    stdout: str
    stderr: str


def script(*args: str, stdin: str = "") -> Parsed:
    done = subprocess.run(
        [str(CLI), "parse", *args], input=stdin, capture_output=True, text=True, check=False, env={"PATH": "/usr/bin"}
    )
    return Parsed(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def parse(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Parsed]:
    def run(*args: str, stdin: str = "") -> Parsed:
        done = invoke(monkeypatch, "parse", *args, env={}, input=stdin)
        return Parsed(done.exit_code, done.stdout, done.stderr)

    return run


def test_one_text_gives_one_json_object() -> None:
    result = script(
        "--now", "2026-11-30T06:05", "--tz", "America/New_York", "need a floater tomorrow 8-12, toddler room"
    )
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "shifts": [{"date": "2026-12-01", "start": "08:00", "end": "12:00"}],
        "age_group": "toddler",
        "reason": None,
        "missing": [],
        "past": False,
    }


def test_json_lines_in_give_json_lines_out_in_order(parse: Callable[..., Parsed]) -> None:
    lines = [
        {"text": "necesito cobertura mañana de 7 a 11, bebés", "now": "2026-11-30T06:05", "tz": "America/New_York"},
        {"text": "need a sub tomorrow", "now": "2026-12-12T09:00", "tz": "America/Chicago"},
        {"text": "thanks!", "now": "2026-12-12T09:00", "tz": "America/New_York"},
    ]
    result = parse(stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert result.returncode == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["shifts"][0]["date"] if o["shifts"] else None for o in out] == ["2026-12-01", "2026-12-13", None]
    assert out[1]["missing"] == ["start", "end"]


def test_a_bad_line_is_answered_in_place_and_the_exit_status_says_so(parse: Callable[..., Parsed]) -> None:
    result = parse("--now", "2026-11-30T06:05", stdin='{"text": "sub tmrw 8-12"}\nnot json\n{"text": "hoy 7-3"}\n')
    assert result.returncode == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 3
    assert "error" in out[1]
    assert out[2]["shifts"][0]["date"] == "2026-11-30"


def test_bad_now_or_tz_is_bad_usage(parse: Callable[..., Parsed]) -> None:
    assert parse("--now", "yesterday", "hi").returncode == 2
    bad_zone = parse("--tz", "Mars/Olympus", "hi")
    assert bad_zone.returncode == 2
    assert "unknown time zone" in bad_zone.stderr


def test_the_sites_hours_set_the_parts_of_the_day(parse: Callable[..., Parsed]) -> None:
    result = parse("--now", "2026-11-30T06:05", "--opens", "06:30", "--closes", "17:30", "viernes por la mañana")
    assert result.returncode == 0
    assert json.loads(result.stdout)["shifts"] == [{"date": "2026-12-04", "start": "06:30", "end": "12:00"}]
    lines = [
        {"text": "friday afternoon", "now": "2026-11-30T06:05", "tz": "America/New_York", "closes": "17:30"},
        {"text": "all day friday", "now": "2026-11-30T06:05", "tz": "America/New_York"},
    ]
    out = parse(stdin="".join(json.dumps(line) + "\n" for line in lines)).stdout.splitlines()
    assert [json.loads(line)["shifts"][0] for line in out] == [
        {"date": "2026-12-04", "start": "12:00", "end": "17:30"},
        {"date": "2026-12-04", "start": "07:00", "end": "18:00"},
    ]


def test_a_past_day_is_printed_as_past(parse: Callable[..., Parsed]) -> None:
    result = parse("--now", "2026-11-30T06:05", "--tz", "America/New_York", "thanks for covering yesterday")
    assert json.loads(result.stdout) | {"missing": []} == {
        "shifts": [],
        "age_group": None,
        "reason": None,
        "missing": [],
        "past": True,
    }


def test_bad_opens_or_closes_is_bad_usage_in_one_line() -> None:
    for args in (["--opens", "7am"], ["--closes", "25:00"], ["--opens", "19:00"]):
        result = script("--now", "2026-11-30T06:05", *args, "need a sub friday morning")
        assert result.returncode == 2, args
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("alliance-bot: ")


def test_a_bad_opens_in_a_line_is_answered_in_place(parse: Callable[..., Parsed]) -> None:
    result = parse(stdin='{"text": "friday morning", "now": "2026-11-30T06:05", "opens": "six"}\n')
    assert result.returncode == 2
    assert "opens" in json.loads(result.stdout)["error"]


def test_details_show_what_the_chat_flow_uses(parse: Callable[..., Parsed]) -> None:
    result = parse("--now", "2026-11-30T06:05", "--details", "every monday 8-12 in the Mariposas room, Feb 30")
    got = json.loads(result.stdout)
    assert got["weekly"] is True
    assert got["impossible_date"] == {"month": 2, "day": 30}
    assert got["unknown_room"] == "Mariposas"
    assert got["far_ahead"] is False
    assert len(got["shifts"]) == 4
