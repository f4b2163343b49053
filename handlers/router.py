"""The router: one incoming message to the command, button or flow step that answers it."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.errors import STALE_BUTTON, UserError
from handlers.i18n import Msg, _
from handlers.linking import LINK_WORDS, link_unknown
from handlers.parsing import fold
from handlers.parsing.vocab import words
from handlers.registry import Registry, Step

WAYS_OUT = frozenset({"cancel", "help"})  # commands a word typed within a flow still is (with their Spanish names)
# ... and the ways people say "cancel" in a few words (folded).
CANCEL_PHRASES = frozenset(
    words(
        "cancel please|please cancel|cancel it|cancel that|never mind|nevermind|nvm|forget it|stop it|cancela"
        "|cancelalo|cancela eso|olvidalo|olvida eso"
    )
)


def route(ctx: Ctx, registry: Registry) -> list[Reply]:
    """Unknown accounts learn how to link; buttons, commands, flow steps and free text go to their handler."""
    if ctx.person is None:
        linked = link_unknown(ctx)
        if ctx.person is None or not _more_than_linking(ctx):
            return linked
        return linked + _then(ctx, registry)  # linked by her profile: what she asked for is answered too
    if ctx.chat.payload is not None:
        return _press(ctx, registry, ctx.chat.payload)
    text = (ctx.chat.text or "").strip()
    if not text:
        raise UserError(_("I can only read text messages. Send /help to see what I can do."))
    if text.startswith("/"):
        return _command(ctx, registry, text)
    # A command's name without its slash ("help", "¿ayuda?"; in a Slack DM "/help" is Slack's own) is that
    # command, before any reading of free text ("floater" is /floater). One not for her role goes to the readers
    # first, as one may say who it is for ("supervision"), and is refused only if none does. Within a flow only
    # the ways out are (`cancel`, `cancelar`, `help`, `ayuda`): any other word is the step's answer.
    word = text.strip("?!.¿¡ ").lower()
    command = registry.commands.get(word)
    state = ctx.state()
    if state is not None and (step := registry.steps.get((state.flow, state.step))) is not None:
        return _in_flow(ctx, registry, step, registry.asides.get((state.flow, state.step)), word, text)
    if command is not None and command.allows(ctx.roles):
        return _command(ctx, registry, f"/{word}")
    replies = _read(ctx, registry, text)
    if replies:
        return replies
    if command is not None:
        return _command(ctx, registry, f"/{word}")
    raise UserError(_("Sorry, I didn't understand that. Send /help to see what I can do."))


def _in_flow(ctx: Ctx, registry: Registry, step: Step, aside: Msg | None, word: str, text: str) -> list[Reply]:
    """Text while a flow waits: a way out is that command; else the step's answer — unless the step has an
    `aside` and cannot use the text, while a free-text reader takes it as a message of its own (the step's own
    work undone first, in a savepoint)."""
    command = registry.commands.get(word)
    if command is not None and command.name in WAYS_OUT:
        return _command(ctx, registry, f"/{word}")
    if fold(word) in CANCEL_PHRASES and "cancel" in registry.commands:
        return _command(ctx, registry, "/cancel")
    if aside is None:
        return step(ctx, text)
    try:
        with ctx.attempt():
            return step(ctx, text)
    except UserError:
        ctx.aside = True
        try:
            replies = _read(ctx, registry, text)
        finally:
            ctx.aside = False
        if not replies:
            raise  # no message of its own either: the step's answer
        return [reply(aside), *replies]


def _read(ctx: Ctx, registry: Registry, text: str) -> list[Reply]:
    """What the first free-text reader that understands the text answers (none: [])."""
    for reader in registry.free_text:
        replies = reader(ctx, text)
        if replies:
            return replies
    return []


def _more_than_linking(ctx: Ctx) -> bool:
    """She wrote something besides a way to link (a command, a request, a press), as a first message may be."""
    text = (ctx.chat.text or "").strip()
    if ctx.chat.payload is not None:
        return True
    return bool(text) and text.split(" ", 1)[0].lower() not in LINK_WORDS


def _then(ctx: Ctx, registry: Registry) -> list[Reply]:
    """Route her first message now that she is linked; if it fails, only it is undone (her link stays), and a
    greeting nothing understood ("hello") gets the welcome alone."""
    try:
        with ctx.attempt():
            return route(ctx, registry)
    except UserError as problem:
        typed = ctx.chat.payload is None and not (ctx.chat.text or "").startswith("/")
        return [] if typed else [reply(problem.message)]


def _command(ctx: Ctx, registry: Registry, text: str) -> list[Reply]:
    head, _sep, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()  # Telegram groups send /help@SomeBot
    command = registry.commands.get(name)
    if command is None and f"/{name}" in LINK_WORDS:  # /link CODE again, from a chat already linked
        raise UserError(_("This chat is already linked to you, {name}: nothing more to do.", name=ctx.me.name))
    if command is None:
        raise UserError(_("I don't know the command /{name}. Send /help to see the ones you can use.", name=name))
    if not command.allows(ctx.roles):
        raise UserError(_("Sorry, /{name} is not available for your role. Send /help to see yours.", name=name))
    return command.run(ctx, args.strip())


def _press(ctx: Ctx, registry: Registry, payload: str) -> list[Reply]:
    prefix, _sep, arg = payload.partition(":")
    handler = registry.handler_for(prefix, ctx.roles)
    if handler is None:
        raise UserError(STALE_BUTTON)
    return handler(ctx, arg)
