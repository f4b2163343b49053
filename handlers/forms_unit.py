"""A form shown and a form submitted, each one unit of work of the Core (handlers/service.py calls these).

Showing only reads. Submitting records the platform's event id, runs the form's `submit` and the bus, and writes
the replies to the outbox in one savepoint: field errors undo all of it — the event id too, so the same values
sent again after a fix elsewhere are read afresh — and a repeated event id changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.arrival import first_time, visited
from handlers.context import Ctx
from handlers.contract import Incoming
from handlers.delivery import enqueue_from
from handlers.errors import STALE_BUTTON, UserError
from handlers.forms import FieldErrors, Form, FormSpec, Values
from handlers.i18n import Msg, read_at
from models.db import Session, session_scope
from models.roster import people

if TYPE_CHECKING:
    from handlers.service import Core


@dataclass(frozen=True)
class Shown:
    """A form, the language to render it in (hers) and when it is shown (a far day is written with its year)."""

    form: Form
    lang: str
    at: datetime
    zone: ZoneInfo

    def text(self, message: Msg) -> str:
        with read_at(self.at, self.zone):
            return message.render(self.lang)


def show(core: Core, incoming: Incoming, name: str) -> Shown | None:
    with session_scope(core.engine) as session:
        ctx, spec, _ = _context(core, session, incoming, name)
        if spec is None:
            return None
        try:
            return Shown(spec.describe(ctx), ctx.lang, ctx.now, ctx.config.zone)
        except UserError:
            return None


def submit(core: Core, incoming: Incoming, name: str, values: Values) -> dict[str, str]:
    incoming = replace(incoming, chat_id=incoming.user_id, private=True) if not incoming.private else incoming
    with session_scope(core.engine) as session:
        ctx, spec, sender = _context(core, session, incoming, name)
        if spec is None or sender is None:
            return {"": STALE_BUTTON.render(ctx.lang)}
        try:
            with session.begin_nested():
                if not first_time(session, incoming, ctx.now):
                    return {}
                visited(session, sender, incoming, ctx.now)
                replies = spec.submit(ctx, values)
                replies += core.bus.deliver(ctx)
                enqueue_from(ctx, replies)
        except FieldErrors as problem:
            errors = dict(problem.errors)
        except UserError as problem:
            errors = {spec.main_field: problem.message}
        else:
            return {}
        with read_at(ctx.now, ctx.config.zone):  # a far day named in a problem is written with its year
            return {field: message.render(ctx.lang) for field, message in errors.items()}


def _context(
    core: Core, session: Session, incoming: Incoming, name: str
) -> tuple[Ctx, FormSpec | None, people.Sender | None]:
    """Who this is and the form, when it is hers to use (None: unknown account, unknown form, not her role)."""
    sender = people.sender(
        session, platform=incoming.platform, platform_user_id=incoming.user_id, chat_key=incoming.chat_key
    )
    ctx = Ctx(session, core.clock, core.config, core.bus, sender.person if sender else None, incoming)
    ctx.knowing(sender.state if sender else None)
    spec = core.registry.forms.get(name)
    if sender is None or spec is None or not (spec.roles & sender.person.role_names):
        return ctx, None, None
    return ctx, spec, sender
