"""What the cover functions work with, whether called from a chat step or from a due task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.context import Ctx
from handlers.cover.policy import CoverPolicy
from models.roster.tables import Site


@dataclass(frozen=True)
class Env:
    session: Session
    now: datetime
    policy: CoverPolicy
    zone: ZoneInfo  # the Alliance's zone, for sites without their own

    @classmethod
    def of(cls, ctx: Ctx) -> Env:
        return cls(ctx.session, ctx.clock.now(), ctx.config.cover, ctx.config.zone)

    def site_zone(self, site_id: int) -> ZoneInfo:
        site = self.session.get(Site, site_id)
        return ZoneInfo(site.timezone) if site is not None and site.timezone else self.zone
