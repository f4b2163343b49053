"""The router: one incoming message to the command, button or flow step that answers it."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply
from handlers.errors import STALE_BUTTON, UserError
from handlers.i18n import _
from handlers.linking import link_unknown
from handlers.registry import Registry


def route(ctx: Ctx, registry: Registry) -> list[Reply]:
    """Unknown accounts learn how to link; buttons, commands, flow steps and free text go to their handler."""
    if ctx.person is None:
        return link_unknown(ctx)
    if ctx.chat.payload is not None:
        return _press(ctx, registry, ctx.chat.payload)
    text = (ctx.chat.text or "").strip()
    if not text:
        raise UserError(_("I can only read text messages. Send /help to see what I can do."))
    if text.startswith("/"):
        return _command(ctx, registry, text)
    state = ctx.state()
    if state is not None and (step := registry.steps.get((state.flow, state.step))) is not None:
        return step(ctx, text)
    for reader in registry.free_text:
        replies = reader(ctx, text)
        if replies:
            return replies
    raise UserError(_("Sorry, I didn't understand that. Send /help to see what I can do."))


def _command(ctx: Ctx, registry: Registry, text: str) -> list[Reply]:
    head, _sep, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()  # Telegram groups send /help@SomeBot
    command = registry.commands.get(name)
    if command is None:
        raise UserError(_("I don't know the command /{name}. Send /help to see the ones you can use.", name=name))
    if command.roles is not None and not (command.roles & ctx.roles):
        raise UserError(_("Sorry, /{name} is not available for your role. Send /help to see yours.", name=name))
    return command.run(ctx, args.strip())


def _press(ctx: Ctx, registry: Registry, payload: str) -> list[Reply]:
    prefix, _sep, arg = payload.partition(":")
    handler = registry.handler_for(prefix, ctx.roles)
    if handler is None:
        raise UserError(STALE_BUTTON)
    return handler(ctx, arg)
