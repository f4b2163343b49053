"""/digest for Hub staff: the current week so far. It lives here, not in handlers/, because it reads the digest
(scheduler sits above handlers); it registers into the same registry as every other command."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.i18n import _
from handlers.registry import registry
from handlers.supervision.policy import SupervisionPolicy
from scheduler.metrics.weeks import week_of


@registry.command("digest", _("this week so far, as in the weekly digest"), roles=frozenset({"hub"}), spanish="resumen")
def digest(ctx: Ctx, args: str) -> list[Reply]:
    """Builds the digest of the current week up to now and shows its text."""
    from scheduler.digest import build, render  # here, not above: pandas loads when a digest is built

    now = ctx.clock.now()
    week = week_of(now, ctx.config.zone)
    target = ctx.config.policy(SupervisionPolicy).hours_target_per_year
    digest = build.build(ctx.session, week, now, rs_target_hours=target)
    return [reply(_("The week so far:"), *render.lines(digest))]
