"""Telegram's command menu: the commands her roles may use, in her language — and the three an unknown chat sees.

The menu is a surface (handlers/surfaces.py): `redraw` asks for it in the transaction that changed her link,
language or roles (and on /start, the first thing a Telegram account sends), and `command_menu` draws it from the
registry when the outbox row goes out, so it is never stale and a failed call is retried. Everything follows
Telegram's rules for setMyCommands: a name is 1–32 characters of a-z, 0-9 and _, a description 1–256 characters,
at most 100 commands.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime

from handlers import surfaces
from handlers.contract import CommandMenu
from handlers.i18n import LANGUAGES, _
from handlers.registry import Command, registry
from handlers.surfaces import Drawing
from models.db import Session
from models.messaging.tables import OutboxKind
from models.roster.vocab import Platform

log = logging.getLogger(__name__)
NAME = re.compile(r"[a-z0-9_]{1,32}")
MAX_DESCRIPTION = 256
MAX_COMMANDS = 100
# How an unknown chat links itself (`/link CODE`); handlers/linking.py reads these words.
LINK_NAMES = {"en": "link", "es": "vincular"}
LINK_SUMMARY = _("link this chat with your invite code")


@surfaces.renders(OutboxKind.COMMANDS)
def command_menu(drawing: Drawing) -> CommandMenu | None:
    """Her menu: what /help lists for her roles (hidden commands left out), by her language's names."""
    if drawing.platform != Platform.telegram:
        return None
    return menu_of(registry.visible_commands(drawing.person.role_names), drawing.lang)


def menu_of(commands: Iterable[Command], lang: str) -> CommandMenu:
    return fitted(((c.shown_name(lang), c.summary.render(lang)) for c in commands), lang)


def unknown_chat_menu(lang: str) -> CommandMenu:
    """The menu of a chat not on the roster: say hello, ask for help, link with a code."""
    start, help_ = registry.commands["start"], registry.commands["help"]
    pairs = [
        (start.name, start.summary.render(lang)),
        (help_.shown_name(lang), help_.summary.render(lang)),
        (LINK_NAMES[lang], LINK_SUMMARY.render(lang)),
    ]
    return fitted(pairs, lang)


def unknown_chat_menus() -> tuple[CommandMenu, ...]:
    """One for each language the bot speaks (the first is also the menu of any other language)."""
    return tuple(unknown_chat_menu(lang) for lang in LANGUAGES)


def fitted(pairs: Iterable[tuple[str, str]], lang: str) -> CommandMenu:
    """Telegram's rules: a name it would refuse (or one already listed) is left out and logged, a description
    too long is cut with an ellipsis, and the menu stops at 100."""
    kept: list[tuple[str, str]] = []
    for name, description in pairs:
        if not NAME.fullmatch(name) or any(name == seen for seen, _description in kept):
            log.warning("left /%s out of the %s command menu: Telegram would refuse it", name, lang)
            continue
        description = " ".join(description.split()) or name
        if len(description) > MAX_DESCRIPTION:
            description = description[: MAX_DESCRIPTION - 1] + "…"
        kept.append((name, description))
    return CommandMenu(tuple(kept[:MAX_COMMANDS]), lang)


def redraw(session: Session, *, person_ids: Iterable[int], at: datetime) -> int:
    """Ask for each one's Telegram menu to be drawn again; how many were asked for. Nothing is written for someone
    without a Telegram account, nor for an account that has never written to the bot (a roster
    `telegram_user_id`): Telegram knows no chat of hers yet and would refuse, so her menu is asked for when she
    presses Start (/start)."""
    platform = Platform.telegram.value
    asked = surfaces.request(
        session, kind=OutboxKind.COMMANDS, person_ids=person_ids, platform=platform, at=at, known_chat_only=True
    )
    return len(asked)
