"""Finding who an unknown chat account belongs to: by e-mail, by phone number, or by a Hub invite code."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from models.roster.tables import InviteCode, Person

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
NOT_DIGITS = re.compile(r"\D")


def person_by_email(session: Session, *, email: str) -> Person | None:
    if not email.strip():
        return None
    statement = select(Person).where(func.lower(Person.email) == email.strip().lower(), col(Person.active).is_(True))
    return session.exec(statement).first()


def person_by_phone(session: Session, *, phone: str) -> Person | None:
    """The active person whose roster phone has the same last ten digits (country codes vary)."""
    wanted = NOT_DIGITS.sub("", phone)[-10:]
    if len(wanted) < 7:
        return None
    people = session.exec(select(Person).where(col(Person.active).is_(True), Person.phone != "")).all()
    matches = [p for p in people if NOT_DIGITS.sub("", p.phone)[-10:] == wanted]
    return matches[0] if len(matches) == 1 else None


def create_invite(session: Session, *, person_id: int, created_by: int, at: datetime, valid: timedelta) -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    session.add(InviteCode(code=code, person_id=person_id, created_by=created_by, expires_at=at + valid))
    session.flush()
    return code


def redeem_invite(session: Session, *, code: str, at: datetime) -> int | None:
    """Use a code once, before it expires; returns the person it links to."""
    statement = (
        update(InviteCode)
        .where(col(InviteCode.code) == code.strip().upper(), col(InviteCode.used_at).is_(None))
        .where(col(InviteCode.expires_at) > at)
        .values(used_at=at)
        .returning(col(InviteCode.person_id))
    )
    row = session.execute(statement).first()
    return int(row[0]) if row is not None else None
