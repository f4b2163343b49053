"""Hub staff: a summary of the roster, with credentials that have expired or soon will."""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.i18n import Msg, _, n_
from handlers.labels import credential_label, role_label
from handlers.registry import registry
from models.messaging import outbox
from models.roster import queries as roster_queries
from models.roster.tables import Person

EXPIRY_WINDOW = timedelta(days=30)


@registry.command("roster", _("roster summary and expiring credentials"), roles=frozenset({"hub"}))
def roster(ctx: Ctx, args: str) -> list[Reply]:
    """Counts sites, rooms and people by role; lists credentials expired or expiring within 30 days."""
    today = ctx.clock.now().astimezone(ctx.zone).date()
    counts = roster_queries.counts(ctx.session)
    lines: list[Msg] = [
        _(
            "{sites}, {rooms}, {people}.",
            sites=n_("{count} site", "{count} sites", counts.sites),
            rooms=n_("{count} room", "{count} rooms", counts.rooms),
            people=n_("{count} person", "{count} people", counts.people),
        )
    ]
    for role, number in sorted(counts.by_role.items()):
        lines.append(_("{role}: {number}", role=role_label(role), number=number))
    expiring = roster_queries.credentials_expiring(ctx.session, until=today + EXPIRY_WINDOW)
    if not expiring:
        lines.append(_("No credential expires in the next 30 days."))
    for item in expiring:
        template = (
            _(
                "EXPIRED: {name}, {code} on {date}",
                name=item.name,
                code=credential_label(item.code),
                date=item.expires_on,
            )
            if item.expires_on < today
            else _(
                "Expires soon: {name}, {code} on {date}",
                name=item.name,
                code=credential_label(item.code),
                date=item.expires_on,
            )
        )
        lines.append(template)
    return [reply(*lines)]


@registry.command(
    "undelivered", _("messages that could not be delivered, and why"), roles=frozenset({"hub"}), spanish="sinentregar"
)
def undelivered(ctx: Ctx, args: str) -> list[Reply]:
    """The latest dead letters: to whom, why, and how the message began (so the Hub can follow up)."""
    dead = outbox.dead_letters(ctx.session, limit=10)
    if not dead:
        return [reply(_("Every message was delivered."))]
    lines: list[Msg] = [_("Not delivered (newest first):")]
    for row in dead:
        person = ctx.session.get(Person, row.person_id) if row.person_id is not None else None
        to = (
            person.name
            if person is not None
            else (_("Hub channel").render(ctx.lang) if row.to_hub else str(row.chat_id))
        )
        lines.append(_("• to {to}: {reason} — “{start}”", to=to, reason=row.error or "?", start=_beginning(row.text)))
    return [reply(*lines)]


def _beginning(text: str) -> str:
    """The first line, shortened; a surface (a command menu, a Home tab) has no text of its own."""
    return text.splitlines()[0][:60] if text.strip() else "…"
