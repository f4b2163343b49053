"""Yes/no dialogs whose buttons work once: pressing either answer kills both, so a [Keep it] is never followed by
a working [Yes, cancel it]. Each dialog carries a one-time code; the first press records it (in the inbox's table
of events already seen), any later press of either button is told it is no longer active.

    confirm(ctx, question, _("Yes, cancel it"), f"cxy:{shift.id}")  →  [Yes, cancel it] ok:CODE:cxy:12
                                                                       [Keep it]        no:CODE
"""

from __future__ import annotations

import secrets

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.errors import STALE_BUTTON, UserError
from handlers.i18n import Msg, _
from handlers.registry import registry
from models.messaging.inbox import record_event

ONCE = "confirm"  # the inbox "platform" under which answered dialogs are recorded


def confirm(
    ctx: Ctx,
    question: Msg,
    yes: Msg,
    then: str,
    *,
    also: tuple[tuple[Msg, str], ...] = (),
    no: Msg | None = None,
) -> Reply:
    """The question with [yes] — which then runs the button `then` ("prefix:arg") — any `also` answers (label,
    button) beside it, and [no] (Keep it); whichever is pressed first, the others die."""
    code = secrets.token_hex(4)
    answers = [Choice(label, f"ok:{code}:{action}") for label, action in ((yes, then), *also)]
    return reply(question, choices=(*answers, Choice(no or _("Keep it"), f"no:{code}")))


def _answered_once(ctx: Ctx, code: str) -> None:
    if not code or not record_event(ctx.session, platform=ONCE, event_id=f"{ctx.person_id}:{code}", at=ctx.now):
        raise UserError(STALE_BUTTON)


@registry.button("ok")
def yes(ctx: Ctx, arg: str) -> list[Reply]:
    """[Yes]: the dialog's action, once."""
    code, _sep, then = arg.partition(":")
    prefix, _sep, then_arg = then.partition(":")
    action = registry.handler_for(prefix, ctx.roles)  # the same role check as any button
    if action is None or prefix in ("ok", "no"):
        raise UserError(STALE_BUTTON)
    _answered_once(ctx, code)
    return action(ctx, then_arg)


@registry.button("no")
def no(ctx: Ctx, arg: str) -> list[Reply]:
    """[Keep it]: nothing changes, and the dialog's [Yes] dies."""
    _answered_once(ctx, arg)
    return [reply(_("OK, nothing changed."))]
