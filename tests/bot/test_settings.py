"""Settings: the variables of the interface, with placeholder secrets refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import core_config
from bot.settings import Settings
from handlers.cover.policy import CoverPolicy


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_defaults_match_the_interface() -> None:
    s = settings()
    assert s.database_url == "sqlite:///./alliance.db"
    assert s.alliance_timezone == "America/New_York"
    assert s.telegram_api_base_url == "https://api.telegram.org/bot"
    assert s.slack_api_base_url == "https://slack.com/api/"
    assert not s.telegram_enabled
    assert not s.slack_enabled


def test_the_placeholder_from_env_example_is_refused() -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        settings(telegram_bot_token="change-me")


def test_real_secrets_enable_the_platforms() -> None:
    s = settings(telegram_bot_token="123:abc", slack_bot_token="xoxb-1", slack_signing_secret="s3cr3t")
    assert s.telegram_enabled
    assert s.slack_enabled
    assert "123:abc" not in repr(s)


def test_an_empty_value_means_not_configured() -> None:
    assert not settings(telegram_bot_token="").telegram_enabled


def test_a_webhook_needs_its_secret_and_zones_must_exist() -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET"):
        settings(telegram_bot_token="123:abc", telegram_webhook_url="https://bot.example/telegram/webhook")
    with pytest.raises(ValidationError, match="time zone"):
        settings(alliance_timezone="Mars/Olympus")


def test_the_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_SLACK_CHANNEL", "C0HUB")
    monkeypatch.setenv("ALLIANCE_TIMEZONE", "America/Chicago")
    s = settings()
    assert (s.hub_slack_channel, s.alliance_timezone) == ("C0HUB", "America/Chicago")


def test_the_cover_policy_comes_from_the_settings() -> None:
    config = core_config(
        settings(favourites_wait_minutes="5", credentials_infant_toddler="", reminder_evening_at="19:30")
    )
    cover = config.policy(CoverPolicy)
    assert cover.favourites_wait.total_seconds() == 300
    assert cover.credentials.required("infant") == ("background_check", "cpr_first_aid")
    assert cover.reminder_evening.hour == 19


def test_the_digest_time_is_a_weekday_and_a_local_time() -> None:
    config = core_config(settings(digest_at="fri 16:30"))
    assert (config.digest_weekday, config.digest_time.isoformat()) == (4, "16:30:00")
    assert core_config(settings()).digest_weekday == 0
    with pytest.raises(ValidationError, match="DIGEST_AT"):
        settings(digest_at="someday")


def test_database_threads_are_two_by_default_and_at_least_one(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings().database_threads == 2
    monkeypatch.setenv("DATABASE_THREADS", "3")
    assert Settings(_env_file=None).database_threads == 3
    with pytest.raises(ValidationError, match="database_threads"):
        settings(database_threads="0")
    with pytest.raises(ValidationError, match="database_threads"):
        settings(database_threads="9")  # more than the connection pool serves
