"""Slack's side of the contract: our commands written as Slack users must type them."""

from __future__ import annotations

from datetime import UTC, datetime

import handlers.service  # noqa: F401  (registers every command)
from bot.slack.translate import blocks, from_command, slash
from handlers.registry import registry

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_commands_in_a_text_are_written_as_the_slash_command_takes_them() -> None:
    assert slash("Send /requests to see them, or /solicitudes.") == (
        "Send /alliance requests to see them, or /alliance solicitudes."
    )
    assert slash("Send /link CODE") == "Send /alliance link CODE"
    assert slash("/help") == "/alliance help"


def test_what_is_not_one_of_our_commands_is_left_alone() -> None:
    text = "Open https://t.me/alliance_bot?start=AB12CD34 or 8/12, and /nonsense, and a/b."
    assert slash(text) == text


def test_the_blocks_carry_the_slack_way_too() -> None:
    (section,) = blocks("Send /shifts", [])
    assert section["text"]["text"] == "Send /alliance shifts"


def test_alliance_link_code_reaches_the_linking_as_slash_link() -> None:
    command = {"text": "link AB12CD34", "user_id": "U1", "channel_id": "D1", "trigger_id": "t1"}
    incoming = from_command(command, NOW, None, commands=registry.commands.keys())
    assert incoming.text == "/link AB12CD34"
    spanish = from_command({**command, "text": "vincular AB12CD34"}, NOW, None, commands=registry.commands.keys())
    assert spanish.text == "/vincular AB12CD34"


def test_what_is_quoted_between_backticks_stays_as_it_is() -> None:
    text = "On Telegram they send `/link AB12` to the bot; on Slack, `/alliance link AB12`. Then /help."
    assert (
        slash(text)
        == "On Telegram they send `/link AB12` to the bot; on Slack, `/alliance link AB12`. Then /alliance help."
    )
