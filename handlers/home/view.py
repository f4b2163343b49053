"""The Home tab of one person: what concerns her, by role, in her language, from the same views the chat shows.

Each role adds its parts (a teacher's requests and sessions, a floater's offers and shifts, a director's site
today and tomorrow, a supervisor's sessions, the Hub's board, unfilled shifts and surveys). Their buttons carry
the chat's payloads, so a press on the Home tab is handled exactly like one in the chat; the two `home:` buttons
open a Slack form instead (bot/slack/translate.py). Drawn in a read-only transaction of its own when sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from handlers.bus import bus
from handlers.context import Ctx
from handlers.contract import Choice, HomeSection, HomeView, Reply, reply
from handlers.cover.views import board_of, requests_of, unfilled, upcoming_shifts, waiting_offers
from handlers.delivery import render
from handlers.i18n import Msg, _
from handlers.supervision.views import supervisor_page, teacher_page
from handlers.surfaces import Drawing, renders
from handlers.surveys.hub import run_replies
from models.messaging.tables import OutboxKind

REQUEST_COVER = "home:request_cover"  # opens the request form (a Slack modal), not a chat step
PUBLISH_SLOT = "home:publish_slot"


@dataclass(frozen=True)
class Part:
    """One block of the Home tab: its title, who sees it, and the replies it shows (one section each)."""

    title: Msg
    roles: frozenset[str]
    draw: Callable[[Ctx], list[Reply]]


def _requests(ctx: Ctx) -> list[Reply]:
    return [_with_first(requests_of(ctx), Choice(_("Request cover"), REQUEST_COVER))]


def _offers(ctx: Ctx) -> list[Reply]:
    return [waiting_offers(ctx) or reply(_("No offers are waiting for your answer."))]


def _site_board(ctx: Ctx) -> list[Reply]:
    return [board_of(ctx, ctx.me.site_id)] if ctx.me.site_id is not None else []


def _supervisor(ctx: Ctx) -> list[Reply]:
    return [_with_first(supervisor_page(ctx), Choice(_("New session"), PUBLISH_SLOT))]


def _surveys(ctx: Ctx) -> list[Reply]:
    return run_replies(ctx) or [reply(_("No survey has been sent yet. Send /surveys to send one."))]


TEACHER, FLOATER, DIRECTOR = frozenset({"teacher"}), frozenset({"floater"}), frozenset({"director"})
SUPERVISOR, HUB = frozenset({"supervisor"}), frozenset({"hub"})
PARTS = (
    Part(_("Your site today and tomorrow"), DIRECTOR, _site_board),
    Part(_("Your requests for cover"), TEACHER | DIRECTOR, _requests),
    Part(_("Your reflective supervision"), TEACHER, lambda ctx: [teacher_page(ctx, 0)]),
    Part(_("Offers for you"), FLOATER, _offers),
    Part(_("Your shifts"), FLOATER, lambda ctx: [upcoming_shifts(ctx)]),
    Part(_("Your sessions"), SUPERVISOR, _supervisor),
    Part(_("The board"), HUB, lambda ctx: [board_of(ctx)]),
    Part(_("Shifts without a floater"), HUB, lambda ctx: [unfilled(ctx)]),
    Part(_("Surveys: who has answered"), HUB, _surveys),
)


@renders(OutboxKind.HOME)
def home(drawing: Drawing) -> HomeView:
    """Her greeting, then each part her roles see, in the order of PARTS."""
    ctx = Ctx(drawing.session, drawing.clock, drawing.config, bus, drawing.person)
    zone = drawing.person.reading_zone()  # times as her messages show them (her own zone, without a site)
    local = ctx.now.astimezone(ZoneInfo(zone) if zone else ctx.zone)
    greeting = reply(
        _("Hi {name}! This is your Alliance home (updated {time}).", name=ctx.me.name, time=local.time()),
        _("Buttons here work like the ones in our chat; my answers come to the Messages tab."),
    )
    sections = [section(None, greeting, drawing.lang, zone)]
    for part in PARTS:
        if part.roles & ctx.roles:
            replies = part.draw(ctx)
            sections += [section(part.title if n == 0 else None, r, drawing.lang, zone) for n, r in enumerate(replies)]
    return HomeView(tuple(sections), drawing.lang)


def section(title: Msg | None, shown: Reply, lang: str, zone: str | None = None) -> HomeSection:
    """A reply as the chat would show it (times in `zone`, the reader's own), under a bold title."""
    text, buttons = render(shown, lang, zone)
    heading = f"*{title.render(lang)}*\n" if title is not None else ""
    return HomeSection(heading + text, tuple(buttons))


def _with_first(shown: Reply, choice: Choice) -> Reply:
    return replace(shown, choices=(choice, *shown.choices))
