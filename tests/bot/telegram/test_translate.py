"""Telegram updates → Incoming, and buttons → keyboards, with the real python-telegram-bot objects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, Update

from bot.telegram.translate import chunks, markup, to_incoming

AT = datetime(2026, 11, 30, 11, 5, tzinfo=UTC)


def update(message: dict[str, Any] | None = None, callback: dict[str, Any] | None = None) -> Update:
    data: dict[str, Any] = {"update_id": 9}
    if message is not None:
        data["message"] = {"message_id": 1, "date": 0, **message}
    if callback is not None:
        data["callback_query"] = {"id": "q", "chat_instance": "c", **callback}
    return Update.de_json(data, None)


USER = {"id": 7, "is_bot": False, "first_name": "A", "language_code": "es-MX"}
PRIVATE = {"id": 7, "type": "private"}
GROUP = {"id": -100500, "type": "supergroup", "title": "Alliance"}


def test_text_button_and_contact_in_a_private_chat() -> None:
    text = to_incoming(update({"chat": PRIVATE, "from": USER, "text": "floater tomorrow 8-12"}), AT)
    assert text is not None
    assert (text.platform, text.user_id, text.chat_id, text.text, text.event_id) == (
        "telegram",
        "7",
        "7",
        "floater tomorrow 8-12",
        "9",
    )
    assert text.language_hint == "es-MX"
    pressed = to_incoming(
        update(callback={"from": USER, "data": "acc:12", "message": {"message_id": 3, "date": 0, "chat": PRIVATE}}), AT
    )
    assert pressed is not None
    assert pressed.payload == "acc:12"
    contact = to_incoming(
        update(
            {
                "chat": PRIVATE,
                "from": USER,
                "contact": {"phone_number": "+15550102030", "first_name": "A", "user_id": 7},
            }
        ),
        AT,
    )
    assert contact is not None
    assert (contact.contact_phone, contact.contact_user_id) == ("+15550102030", "7")


def test_in_a_group_only_commands_and_buttons_reach_the_bot() -> None:
    assert to_incoming(update({"chat": GROUP, "from": USER, "text": "good morning everyone"}), AT) is None
    command = to_incoming(update({"chat": GROUP, "from": USER, "text": "/board@alliance_bot"}), AT)
    assert command is not None
    assert command.chat_id == "-100500"
    button = update(callback={"from": USER, "data": "asg:3:4", "message": {"message_id": 3, "date": 0, "chat": GROUP}})
    assert to_incoming(button, AT) is not None
    bot_user = {**USER, "is_bot": True}
    assert to_incoming(update({"chat": PRIVATE, "from": bot_user, "text": "/help"}), AT) is None


def test_keyboards() -> None:
    inline = markup([("Accept", "acc:1"), ("Decline", "dec:1")])
    assert isinstance(inline, InlineKeyboardMarkup)
    assert [[b.callback_data for b in row] for row in inline.inline_keyboard] == [["acc:1", "dec:1"]]
    long_labels = markup([("Sunflower Center · Butterflies", "cvr:1"), ("Sunflower Center · Explorers", "cvr:2")])
    assert isinstance(long_labels, InlineKeyboardMarkup)
    assert len(long_labels.inline_keyboard) == 2  # one a row when labels are long
    contact = markup([("Share my phone number", "share:contact")])
    assert isinstance(contact, ReplyKeyboardMarkup)
    assert contact.keyboard[0][0].request_contact
    assert markup([]) is None


def test_long_text_goes_in_parts_under_telegrams_limit() -> None:
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    parts = chunks(text)
    assert len(parts) == 3
    assert all(len(part) <= 4096 for part in parts)
    assert "".join(parts) == text
    assert chunks("x" * 5000) == ["x" * 4096, "x" * 904]
    assert chunks("") == [""]
