"""The Home tab of a Slack account as it opens it: hers when it is linked to the roster, else how to link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from handlers import surfaces
from handlers.contract import HomeView, reply
from handlers.home.view import section
from handlers.i18n import _
from handlers.linking import link, link_help
from models.db import session_scope
from models.messaging.tables import OutboxKind
from models.roster import linking as roster_linking
from models.roster import people

if TYPE_CHECKING:
    from handlers.clock import Clock
    from handlers.context import CoreConfig
    from models.db import Engine


def home_of_account(
    engine: Engine,
    clock: Clock,
    config: CoreConfig,
    *,
    platform: str,
    user_id: str,
    email: str | None = None,
    timezone: str | None = None,
) -> HomeView | None:
    """Her view drawn now (handlers/home/view.py), noting that she opened it (changes of hers redraw it from now
    on) and the zone of her profile; an account not linked yet is linked first when the profile's `email` is on
    the roster, as her first message would be. None for an account nobody on the roster has."""
    with session_scope(engine) as session:
        person = people.person_for_account(session, platform=platform, platform_user_id=user_id)
        if person is None and email:
            found = roster_linking.person_by_email(session, email=email)
            if found is not None:
                link(session, found, platform=platform, user_id=user_id, chat_id="", at=clock.now())
                person = found
        person_id = person.id if person is not None else None
        if person_id is not None and timezone:
            people.set_timezone(session, person_id=person_id, timezone=timezone)
        if person_id is not None:
            people.home_opened(session, platform=platform, platform_user_id=user_id, at=clock.now())
    if person_id is None:
        return None
    drawn = surfaces.render(engine, clock, config, OutboxKind.HOME, person_id, platform)
    return drawn if isinstance(drawn, HomeView) else None


def unlinked(platform: str, lang: str) -> HomeView:
    """How to link this account, in `lang` (her platform's locale); nothing about the Alliance (she is not known
    yet)."""
    helped = link_help(platform)
    write = reply(_("Or just send me a message in the Messages tab: I will link you if I can."))
    return HomeView((section(None, helped, lang), section(None, write, lang)), lang)
