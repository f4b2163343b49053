"""Commands everyone on the roster has: /start, /help, /lang, /cancel, /whoami."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.errors import UserError
from handlers.i18n import LANGUAGES, Msg, _, verbatim
from handlers.labels import LANGUAGE_NAMES, age_group_label, credential_label, role_label
from handlers.menu import redraw
from handlers.registry import registry
from models.roster import people

LANGUAGE_WORDS = {
    "en": "en",
    "english": "en",
    "inglés": "en",
    "ingles": "en",
    "es": "es",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
}


@registry.command("start", _("say hello"), hidden=True)
def start(ctx: Ctx, args: str) -> list[Reply]:
    """Greets a linked person and shows their help; asks for her Telegram menu (someone the roster linked
    directly gets it here, when she first presses Start)."""
    redraw(ctx.session, person_ids=[ctx.person_id], at=ctx.now)
    return [reply(_("Hi {name}! I'm the Alliance assistant.", name=ctx.me.name)), *help_(ctx, args)]


@registry.command("help", _("show what you can do here"), spanish="ayuda")
def help_(ctx: Ctx, args: str) -> list[Reply]:
    """Lists who the person is on the roster and the commands their roles allow."""
    lines: list[Msg] = [_("You are on the roster as: {roles}.", roles=verbatim(_describe_roles(ctx)))]
    lines.append(_("Commands you can use:"))
    for command in registry.visible_commands(ctx.roles):
        lines.append(_("/{name} — {summary}", name=command.shown_name(ctx.lang), summary=command.summary))
    lines += registry.hints_for(ctx.roles)
    lines.append(_("Send /cancel at any time to stop what you are doing."))
    return [reply(*lines)]


def _describe_roles(ctx: Ctx) -> str:
    person = ctx.me
    parts = [role_label(role).render(ctx.lang) for role in sorted(person.role_names)]
    where = [
        name for name in (person.site.name if person.site else None, person.room.name if person.room else None) if name
    ]
    return ", ".join(parts) + (f" ({' · '.join(where)})" if where else "")


@registry.command("lang", _("change your language (English / Español)"), spanish="idioma", aliases=("language",))
def lang(ctx: Ctx, args: str) -> list[Reply]:
    """Sets the language given (`/lang es`), or asks which one with buttons and waits for the answer."""
    if args:
        return _set_language(ctx, args)
    ctx.goto("lang", "ask_language")
    return [reply(_("Which language would you like?"), choices=_language_choices())]


@registry.step("lang", "ask_language")
def ask_language(ctx: Ctx, text: str) -> list[Reply]:
    """Reads a typed language name; ends the flow."""
    return _set_language(ctx, text)


@registry.button("lang")
def press_language(ctx: Ctx, arg: str) -> list[Reply]:
    """Stores the language of the pressed button; ends the flow."""
    return _set_language(ctx, arg)


def _language_choices() -> tuple[Choice, ...]:
    return tuple(Choice(verbatim(LANGUAGE_NAMES[code]), f"lang:{code}") for code in LANGUAGES)


def _set_language(ctx: Ctx, word: str) -> list[Reply]:
    code = LANGUAGE_WORDS.get(word.strip().lower())
    if code is None:
        raise UserError(_("I can speak English or Español. Which one would you like?"))
    people.set_language(ctx.session, person_id=ctx.person_id, language=code)
    redraw(ctx.session, person_ids=[ctx.person_id], at=ctx.now)  # her Telegram menu's names and descriptions
    ctx.end_flow()
    return [reply(_("Done: I will write to you in English from now on.") if code == "en" else _lang_es())]


def _lang_es() -> Msg:
    return _("Done: I will write to you in Spanish from now on.")


@registry.command("cancel", _("stop what you are doing"), spanish="cancelar", aliases=("stop",))
def cancel(ctx: Ctx, args: str) -> list[Reply]:
    """Ends the flow under way, if any; nothing it had not yet saved is kept."""
    if ctx.end_flow():
        return [reply(_("Cancelled. Nothing more was saved."))]
    return [reply(_("There is nothing to cancel right now."))]


@registry.command("whoami", _("what the roster says about you"), spanish="yo")
def whoami(ctx: Ctx, args: str) -> list[Reply]:
    """Shows the person's own roster entry: roles, site and room, age groups and credentials."""
    person = ctx.me
    lines: list[Msg] = [verbatim(person.name), _("Roles: {roles}", roles=verbatim(_describe_roles(ctx)))]
    if person.age_groups:
        groups = ", ".join(age_group_label(g.age_group).render(ctx.lang) for g in person.age_groups)
        lines.append(_("Age groups you cover: {groups}", groups=groups))
    for credential in sorted(person.credentials, key=lambda c: c.code):
        if credential.expires_on is None:
            lines.append(_("Credential {code}: on file", code=credential_label(credential.code)))
        else:
            lines.append(
                _(
                    "Credential {code}: valid until {date}",
                    code=credential_label(credential.code),
                    date=credential.expires_on,
                )
            )
    lines.append(_("Language: {language}", language=LANGUAGE_NAMES.get(person.language, person.language)))
    return [reply(*lines)]
