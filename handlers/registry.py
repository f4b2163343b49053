"""Where conversations register their commands, buttons and flow steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from handlers.context import Ctx
from handlers.contract import Reply
from handlers.forms import FormSpec
from handlers.i18n import Msg

Step = Callable[[Ctx, str], list[Reply]]
Section = Callable[[Ctx, int | None], list[Msg]]  # (ctx, the one site the view shows; None: all)


@dataclass(frozen=True)
class Command:
    name: str
    run: Step
    summary: Msg
    roles: frozenset[str] | None  # None: anyone on the roster
    aliases: tuple[str, ...] = ()
    hidden: bool = False
    spanish: str | None = None

    def shown_name(self, lang: str) -> str:
        return self.spanish if lang == "es" and self.spanish else self.name

    def allows(self, roles: frozenset[str]) -> bool:
        """Someone with these roles may use it (a command without roles: anyone on the roster)."""
        return self.roles is None or bool(self.roles & roles)


@dataclass
class Registry:
    commands: dict[str, Command] = field(default_factory=dict)
    buttons: dict[str, Step] = field(default_factory=dict)
    button_roles: dict[str, frozenset[str]] = field(default_factory=dict)
    steps: dict[tuple[str, str], Step] = field(default_factory=dict)
    # Steps that a message of its own may interrupt (see `step`), with what the person is told of the flow put aside.
    asides: dict[tuple[str, str], Msg] = field(default_factory=dict)
    free_text: list[Step] = field(default_factory=list)
    hints: list[tuple[frozenset[str], Msg]] = field(default_factory=list)
    sections: dict[str, list[Section]] = field(default_factory=dict)
    forms: dict[str, FormSpec] = field(default_factory=dict)

    def command(
        self,
        name: str,
        summary: Msg,
        *,
        roles: frozenset[str] | None = None,
        aliases: tuple[str, ...] = (),
        hidden: bool = False,
        spanish: str | None = None,
    ) -> Callable[[Step], Step]:
        """Register `/name`, its Spanish name and other aliases, for the given roles (None: anyone)."""

        def register(run: Step) -> Step:
            command = Command(name, run, summary, roles, aliases, hidden, spanish)
            for key in (name, *((spanish,) if spanish else ()), *aliases):
                if key in self.commands:
                    raise ValueError(f"/{key} registered twice")
                self.commands[key] = command
            return run

        return register

    def handler_for(self, prefix: str, roles: frozenset[str]) -> Step | None:
        """The button's handler, if someone of `roles` may press it (None: unknown, or not hers to press)."""
        handler = self.buttons.get(prefix)
        allowed = self.button_roles.get(prefix)
        return None if handler is None or (allowed is not None and not allowed & roles) else handler

    def button(self, prefix: str, *, roles: frozenset[str] | None = None) -> Callable[[Step], Step]:
        """Register the handler of payloads `prefix:arg`; it receives `arg`. With `roles`, only people of those
        roles may press it (a forged payload from anyone else is refused before the handler runs)."""

        def register(run: Step) -> Step:
            if prefix in self.buttons:
                raise ValueError(f"button prefix {prefix!r} registered twice")
            self.buttons[prefix] = run
            if roles is not None:
                self.button_roles[prefix] = roles
            return run

        return register

    def form(self, spec: FormSpec) -> None:
        """Register a form (handlers/forms.py): what platforms with dialogs show in place of a conversation."""
        if spec.name in self.forms:
            raise ValueError(f"form {spec.name!r} registered twice")
        self.forms[spec.name] = spec

    def form_for(self, word: str) -> str | None:
        """The form a command word opens when nothing follows it (`floater`, `flotante`), if it has one."""
        command = self.commands.get(word.lower().lstrip("/"))
        return next((f.name for f in self.forms.values() if command and f.command == command.name), None)

    def step(self, flow: str, name: str, *, aside: Msg | None = None) -> Callable[[Step], Step]:
        """Register the step that receives typed text while a person is at (flow, name). With `aside`, a text the
        step cannot use that a free-text reader answers (a cover request typed in the middle of a survey) is
        answered so, the flow put aside and `aside` said first (how to go back to it); else the step's refusal
        stands. Not for a flow that reads requests itself: the reader would start over what it keeps."""

        def register(run: Step) -> Step:
            self.steps[(flow, name)] = run
            if aside is not None:
                self.asides[(flow, name)] = aside
            return run

        return register

    def text(self, *, before: bool = False) -> Callable[[Step], Step]:
        """Register a reader of free text outside any flow; the first that returns replies wins. A reader of a
        narrow wish ("sign me up for supervision") goes `before` the broad ones ("floater tomorrow 8-12"),
        whatever the order the modules were imported in."""

        def register(run: Step) -> Step:
            if before:
                self.free_text.insert(0, run)
            else:
                self.free_text.append(run)
            return run

        return register

    def section(self, view: str) -> Callable[[Section], Section]:
        """Register lines another feature adds to a view (say supervision's sessions on cover's /board), so the
        view's owner never imports the feature."""

        def register(run: Section) -> Section:
            self.sections.setdefault(view, []).append(run)
            return run

        return register

    def sections_of(self, view: str, ctx: Ctx, site_id: int | None = None) -> list[Msg]:
        return [line for run in self.sections.get(view, ()) for line in run(ctx, site_id)]

    def hint(self, roles: frozenset[str], text: Msg) -> None:
        """A line /help shows people with one of these roles (how to use free text, say)."""
        self.hints.append((roles, text))

    def hints_for(self, roles: frozenset[str]) -> list[Msg]:
        return [text for wanted, text in self.hints if wanted & roles]

    def visible_commands(self, roles: frozenset[str]) -> list[Command]:
        seen: dict[str, Command] = {}
        for command in self.commands.values():
            if command.allows(roles) and not command.hidden:
                seen.setdefault(command.name, command)
        return list(seen.values())


registry = Registry()
