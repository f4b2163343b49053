"""From the Settings to the plain configuration the core is given (nothing below bot/ reads Settings)."""

from __future__ import annotations

from datetime import timedelta

from bot.settings import Settings
from handlers.context import CoreConfig
from handlers.cover.policy import CoverPolicy
from handlers.home.policy import HomePolicy
from handlers.supervision.policy import SupervisionPolicy
from models.cover.eligibility import CredentialRule


def core_config(settings: Settings) -> CoreConfig:
    """The part of the Settings the core needs, as plain values."""
    infant_toddler = _codes(settings.credentials_infant_toddler)
    cover = CoverPolicy(
        favourites_wait=timedelta(minutes=settings.favourites_wait_minutes),
        wave_size=settings.offer_wave_size,
        escalate_before=timedelta(minutes=settings.escalate_before_minutes),
        reminder_evening=settings.reminder_evening_at,
        reminder_before=timedelta(minutes=settings.reminder_before_minutes),
        credentials=CredentialRule(
            always=_codes(settings.credentials_always),
            by_age_group={"infant": infant_toddler, "toddler": infant_toddler},
        ),
    )
    supervision = SupervisionPolicy(
        travel=timedelta(minutes=settings.supervision_travel_minutes),
        cover_deadline=timedelta(hours=settings.supervision_cover_deadline_hours),
        hours_target_per_year=settings.rs_hours_target_per_year,
    )
    home = HomePolicy(throttle=timedelta(seconds=settings.slack_home_throttle_seconds))
    weekday, at = settings.digest_schedule
    return CoreConfig(
        alliance_timezone=settings.alliance_timezone,
        hub_language=settings.hub_language,
        policies=(cover, supervision, home),
        hub_channels=settings.hub_channels,
        digest_weekday=weekday,
        digest_time=at,
    )


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.replace(";", ",").split(",") if code.strip())
