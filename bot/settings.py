"""The one Settings object: read from the environment or `.env` once, then passed down."""

from __future__ import annotations

from datetime import time
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values shipped in .env.example; a real deployment must replace them.
SECRETS = (
    "telegram_bot_token",
    "telegram_webhook_secret",
    "slack_bot_token",
    "slack_signing_secret",
    "slack_app_token",
)
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
PLACEHOLDER_MARKERS = ("change-me", "changeme", "your-", "xxx", "placeholder")


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    return any(marker in lowered for marker in PLACEHOLDER_MARKERS)


class Settings(BaseSettings):
    """Exactly the variables of spec/interface.md."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///./alliance.db"
    alliance_timezone: str = "America/New_York"

    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_url: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_base_url: str = "https://slack.com/api/"
    # A person's Slack Home tab is redrawn when something on it changes, at most once in this many seconds.
    slack_home_throttle_seconds: float = Field(default=10, ge=0, le=600)

    hub_slack_channel: str | None = None
    hub_telegram_chat_id: str | None = None
    hub_language: Literal["en", "es"] = "en"  # the Alliance channel's messages, digest and its files
    # How long a call to a platform may take before it is retried later.
    platform_timeout_seconds: float = Field(default=10, gt=0, le=120)
    # Threads for the database work of messages and the dispatcher (bot/offload.py): more only take turns. At
    # most 8: the connection pool holds 10, and the scheduler and /healthz need theirs.
    database_threads: int = Field(default=2, ge=1, le=8)
    # A message that keeps failing (5xx, timeouts) this long after it was written is given up: /undelivered.
    outbox_give_up_hours: float = Field(default=6, gt=0, le=24 * 7)

    # Cover policy (defaults follow the product brief).
    favourites_wait_minutes: int = Field(default=10, ge=0, le=240)
    offer_wave_size: int = Field(default=25, ge=1, le=1000)
    escalate_before_minutes: int = Field(default=60, ge=0, le=24 * 60)
    reminder_evening_at: time = time(18, 0)
    reminder_before_minutes: int = Field(default=60, ge=0, le=24 * 60)
    digest_at: str = "MON 08:00"  # weekday and local time of the weekly digest
    credentials_always: str = "background_check,cpr_first_aid"
    credentials_infant_toddler: str = "infant_toddler"

    # Reflective supervision.
    supervision_travel_minutes: int = Field(default=0, ge=0, le=240)
    supervision_cover_deadline_hours: float = Field(default=2, ge=0, le=72)
    rs_hours_target_per_year: float = Field(default=12, ge=0, le=500)

    @field_validator(*SECRETS, mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator(*SECRETS)
    @classmethod
    def _refuse_placeholders(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and _is_placeholder(value.get_secret_value()):
            raise ValueError("is still the placeholder from .env.example; set the real secret or leave it empty")
        return value

    @field_validator("alliance_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @field_validator("digest_at")
    @classmethod
    def _digest_at(cls, value: str) -> str:
        day, _sep, at = value.strip().upper().partition(" ")
        if day[:3] not in WEEKDAYS or not _sep:
            raise ValueError("DIGEST_AT must look like MON 08:00")
        time.fromisoformat(at)
        return f"{day[:3]} {at}"

    @property
    def digest_schedule(self) -> tuple[int, time]:
        day, _sep, at = self.digest_at.partition(" ")
        return WEEKDAYS.index(day), time.fromisoformat(at)

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.telegram_webhook_url and self.telegram_webhook_secret is None:
            raise ValueError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET")
        return self

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and (
            self.slack_signing_secret is not None or self.slack_app_token is not None
        )

    @property
    def hub_channels(self) -> tuple[tuple[str, str], ...]:
        """The Alliance channel on each enabled platform, as (platform, chat id)."""
        channels = []
        if self.slack_enabled and self.hub_slack_channel:
            channels.append(("slack", self.hub_slack_channel))
        if self.telegram_enabled and self.hub_telegram_chat_id:
            channels.append(("telegram", self.hub_telegram_chat_id))
        return tuple(channels)
