"""Unknown chat accounts: link them to the roster (profile e-mail, shared phone, invite code) or explain how.

They learn nothing about the Alliance until linked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from handlers import names
from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.errors import UserError
from handlers.i18n import _
from handlers.menu import LINK_NAMES, redraw
from handlers.registry import registry
from models.roster import linking, people
from models.roster.tables import Person
from models.roster.vocab import Platform

if TYPE_CHECKING:
    from models.db import Session

INVITE_VALID = timedelta(days=7)
SHARE_CONTACT = "share:contact"  # Telegram shows this button as "share my phone number"
LINK_WORDS = (*(f"/{name}" for name in LINK_NAMES.values()), "/start")  # /start CODE: a Telegram deep link


def link_unknown(ctx: Ctx) -> list[Reply]:
    """Link by what the platform vouches for, or by an invite code; otherwise say how to link."""
    incoming = ctx.chat
    person = None
    if incoming.email:
        person = linking.person_by_email(ctx.session, email=incoming.email)
    if person is None and incoming.contact_phone:
        if incoming.contact_user_id != incoming.user_id:
            return [reply(_("Please share your own phone number with the button below, not someone else's."))]
        person = linking.person_by_phone(ctx.session, phone=incoming.contact_phone)
        if person is None:
            return [
                reply(
                    _("That phone number is not on the Alliance roster. Ask your Hub coordinator for an invite code.")
                )
            ]
    text = (incoming.text or "").strip()
    if person is None and text.split(" ", 1)[0].lower() in LINK_WORDS and " " in text:
        person_id = linking.redeem_invite(ctx.session, code=text.split(" ", 1)[1], at=ctx.clock.now())
        person = ctx.session.get(Person, person_id) if person_id is not None else None
        if person is None:
            return [
                reply(_("That invite code is not valid (or was already used). Ask your Hub coordinator for a new one."))
            ]
    if person is None:
        return [link_help(incoming.platform)]
    return _linked(ctx, person)


def link_help(platform: str) -> Reply:
    lines = [
        _("Hello! I don't know this chat account yet, so I can't help you here."),
        _("Ask your Hub coordinator for an invite code and send it like this: /link CODE"),
    ]
    if platform == Platform.telegram:
        lines.append(_("Or share your phone number with the button below if it is on the roster."))
        return reply(*lines, choices=(Choice(_("Share my phone number"), SHARE_CONTACT),))
    if platform == Platform.slack:
        lines.append(_("On Slack, the e-mail address of your Slack profile must match the one on the roster."))
    return reply(*lines)


def link(session: Session, person: Person, *, platform: str, user_id: str, chat_id: str, at: datetime) -> None:
    """Link this chat account to her (the chat, the Home tab opened by a matching e-mail) and redraw what her
    roles change on it (her Telegram menu)."""
    assert person.id is not None
    people.link_account(
        session, person_id=person.id, platform=platform, platform_user_id=user_id, chat_id=chat_id, at=at
    )
    redraw(session, person_ids=[person.id], at=at)


def _linked(ctx: Ctx, person: Person) -> list[Reply]:
    incoming = ctx.chat
    link(
        ctx.session, person, platform=incoming.platform, user_id=incoming.user_id, chat_id=incoming.chat_id, at=ctx.now
    )
    ctx.person = people.person_for_account(ctx.session, platform=incoming.platform, platform_user_id=incoming.user_id)
    return [
        reply(
            _(
                "Welcome, {name}! This chat is now linked to the Alliance roster. Send /help to see what you can do.",
                name=person.name,
            )
        )
    ]


@registry.command(
    "invite", _("create a one-time code to link someone's chat account"), roles=frozenset({"hub"}), spanish="invitar"
)
def invite(ctx: Ctx, args: str) -> list[Reply]:
    """`/invite NAME`: a code valid for a week, for the one person NAME means (`maria` finds María Gómez), and
    the Telegram link that sends it for her (`/start CODE`) when the bot is on Telegram."""
    matches = names.matching(people.people_by_name(ctx.session), args)
    if not args.strip():
        raise UserError(_("Send /invite and the start of one person's name, like: /invite Alice"))
    if not matches:
        raise UserError(
            _("Nobody on the roster is called “{name}”. Send /roster or check the spelling.", name=args.strip())
        )
    if len(matches) > 1:
        shown = ", ".join(p.name for p in matches[:6]) + ("…" if len(matches) > 6 else "")
        raise UserError(_("“{name}” could be {people}. Send more of the name.", name=args.strip(), people=shown))
    person = matches[0]
    assert person.id is not None
    code = linking.create_invite(
        ctx.session, person_id=person.id, created_by=ctx.person_id, at=ctx.clock.now(), valid=INVITE_VALID
    )
    lines = [
        _("Invite code for {name}: {code} (valid 7 days, once).", name=person.name, code=code),
        _("On Telegram they send `/link {code}` to the bot; on Slack, `/alliance link {code}`.", code=code),
    ]
    if ctx.config.telegram_bot_username:
        link = f"https://t.me/{ctx.config.telegram_bot_username}?start={code}"
        lines.append(_("Or they open this link on Telegram, which sends it for them: {link}", link=link))
    return [reply(*lines)]
