"""Offering a shift in one statement: who is asked now, and what an earlier offer's status decides."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from sqlmodel import Session, col, select, update

from models.cover.tables import Offer, OfferStatus, Tier
from models.cover.writes import send_offers
from tests.models.test_eligibility import START, ids, session, shift_in

__all__ = ["session"]  # the fixture, shared with the eligibility tests


def test_new_and_unanswered_ended_offers_are_sent_and_others_left_as_they_are(session: Session) -> None:
    shift = shift_in(session, "Nest")
    people = ids(session)
    ada, bea, cam, cid, dee = (people[n] for n in ("Ada", "Bea", "Cam", "Cid", "Dee"))
    assert shift.id is not None
    first = START - timedelta(days=1)
    assert send_offers(session, shift_id=shift.id, floater_ids=[ada, bea, cam, cid], tier=Tier.FAVOURITES, at=first)
    ended = {bea: OfferStatus.DECLINED, cam: OfferStatus.WITHDRAWN, cid: OfferStatus.FILLED}
    for floater, status in ended.items():
        session.execute(update(Offer).where(col(Offer.floater_id) == floater).values(status=status))

    later = first + timedelta(hours=1)
    inserts: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("INSERT INTO offer"):
            inserts.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        asked = send_offers(
            session, shift_id=shift.id, floater_ids=[dee, ada, bea, cam, cid], tier=Tier.EVERYONE, at=later
        )
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(inserts) == 1  # one statement for them all, not one each

    assert asked == [dee, cam, cid]  # in the order given: the new one and those whose offer ended unanswered
    offers = {o.floater_id: o for o in session.exec(select(Offer).where(Offer.shift_id == shift.id)).all()}
    assert {f: (o.status, o.tier, o.offered_at == later) for f, o in offers.items()} == {
        ada: (OfferStatus.SENT, Tier.FAVOURITES, False),  # still open: not asked twice
        bea: (OfferStatus.DECLINED, Tier.FAVOURITES, False),  # she said no
        cam: (OfferStatus.SENT, Tier.EVERYONE, True),
        cid: (OfferStatus.SENT, Tier.EVERYONE, True),
        dee: (OfferStatus.SENT, Tier.EVERYONE, True),
    }
    assert send_offers(session, shift_id=shift.id, floater_ids=[ada, dee], tier=Tier.EVERYONE, at=later) == []
