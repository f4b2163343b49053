"""The Alliance: sites, rooms, people, their roles, age groups, credentials and chat accounts."""

from datetime import date, datetime, time
from typing import Optional
from zoneinfo import ZoneInfo

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from models.types import UtcDateTime


def zone_named(name: str | None, fallback: ZoneInfo) -> ZoneInfo:
    """A site's time zone from its roster value: the one rule (empty → the Alliance's) every caller uses."""
    return ZoneInfo(name) if name else fallback


class Site(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    timezone: str = Field(max_length=64)
    opens: time
    closes: time
    address: str = Field(default="", max_length=300)
    bring: str = Field(default="", max_length=300)  # what a floater should bring, shown with offers
    address_es: str = Field(default="", max_length=300)  # the same in Spanish; empty: the English is shown
    bring_es: str = Field(default="", max_length=300)

    rooms: list["Room"] = Relationship(back_populates="site")

    def zone(self, fallback: ZoneInfo) -> ZoneInfo:
        """The site's time zone; the Alliance's (`fallback`) when the roster leaves it empty."""
        return zone_named(self.timezone, fallback)


class Room(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    name: str = Field(max_length=120)
    age_group: str = Field(max_length=20)

    site: "Site" = Relationship(back_populates="rooms")


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    site_id: int | None = Field(default=None, foreign_key="site.id", index=True)
    room_id: int | None = Field(default=None, foreign_key="room.id")
    email: str = Field(default="", max_length=254, index=True)
    phone: str = Field(default="", max_length=40)
    language: str = Field(default="en", max_length=5)
    active: bool = True
    supervisor_id: int | None = Field(default=None, foreign_key="person.id")  # a teacher's reflective supervisor
    # Her own IANA zone, from her chat profile (Slack's `tz`); times are shown in it when she has no site.
    timezone: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})

    def reading_zone(self) -> str | None:
        """The zone she reads times in when it is not a site's: her own, if she has no site and it is known."""
        if self.site_id is not None or not self.timezone:
            return None
        return self.timezone

    roles: list["PersonRole"] = Relationship(
        back_populates="person", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    age_groups: list["PersonAgeGroup"] = Relationship(
        back_populates="person", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    credentials: list["Credential"] = Relationship(
        back_populates="person", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    site: Optional["Site"] = Relationship()
    room: Optional["Room"] = Relationship()

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)


class PersonRole(SQLModel, table=True):
    # "everyone with this role" (floaters, directors) is read as an index range, not a scan of every role
    __table_args__ = (Index("ix_personrole_role", "role", "person_id"),)

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    role: str = Field(primary_key=True, max_length=20)

    person: "Person" = Relationship(back_populates="roles")


class PersonAgeGroup(SQLModel, table=True):
    """An age group a floater may cover."""

    __table_args__ = (Index("ix_personagegroup_age_group", "age_group", "person_id"),)

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    age_group: str = Field(primary_key=True, max_length=20)

    person: "Person" = Relationship(back_populates="age_groups")


class Credential(SQLModel, table=True):
    __table_args__ = (Index("ix_credential_code", "code", "person_id"),)

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    code: str = Field(primary_key=True, max_length=40)
    expires_on: date | None = None

    person: "Person" = Relationship(back_populates="credentials")


class ChatIdentity(SQLModel, table=True):
    """A chat account (platform + platform user id) linked to a person; one person may have several."""

    # A person's accounts on some platforms are found by (person, platform): without it SQLite reads every
    # account of the platform through the unique index instead (it keeps no statistics to know better).
    __table_args__ = (
        UniqueConstraint("platform", "platform_user_id"),
        Index("ix_chatidentity_person_platform", "person_id", "platform"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    platform_user_id: str = Field(max_length=64)
    person_id: int = Field(foreign_key="person.id")
    # Where a direct message reaches this account (Telegram private chat id, Slack DM channel).
    chat_id: str = Field(default="", max_length=64)
    linked_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # When this account last opened the bot's Home tab (Slack); a tab never opened is not redrawn on changes.
    home_opened_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class InviteCode(SQLModel, table=True):
    """A one-time code the Hub gives a person to link a chat account (`/link CODE`)."""

    code: str = Field(primary_key=True, max_length=16)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_by: int = Field(foreign_key="person.id")
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
