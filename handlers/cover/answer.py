"""A floater answers an offer with a button; Hub staff ask one floater directly. Thin callers of the service:
what the others are told comes from cover's subscribers (handlers/cover/notify.py)."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.contract import Reply, reply
from handlers.cover import service
from handlers.cover.describe import STATUS_LABELS, name_of, shift_summary
from handlers.cover.views import waiting_offers
from handlers.errors import STALE_BUTTON, UserError
from handlers.i18n import _, verbatim
from handlers.parsing import fold
from handlers.parsing.vocab import words
from handlers.registry import registry
from models.cover.queries import offer_of
from models.cover.tables import OfferStatus, Shift, ShiftStatus

# How a floater answers in words ("yes I can take it", "acepto", "no puedo"): the first word, folded.
ANSWER_WORDS = frozenset(
    words("yes|yeah|yep|yup|sure|ok|okay|accept|accepted|taking|no|nope|decline|si|claro|vale|acepto|aceptado|rechazo")
)
# ... or two: "I can take it", "I'll take it", "puedo ir".
ANSWER_PAIRS = frozenset(
    tuple(pair.split()) for pair in words("i can|i cant|i'll take|ill take|i accept|puedo ir|no puedo")
)
ANSWER_EMOJI = frozenset("👍👎✅❌🙋")
CLEAR_YES = frozenset(words("yes|accept|accepted|si|acepto|aceptado"))  # with none waiting: said so
SKIN_TONES = frozenset(chr(code) for code in range(0x1F3FB, 0x1F400))  # 👍🏽 is 👍
MAX_ANSWER_WORDS = 6  # longer is a sentence of its own, not an answer to an offer


def shift_from(ctx: Ctx, arg: str) -> Shift:
    """The shift a button names; a forged or stale payload is refused kindly."""
    if not arg.isdigit():
        raise UserError(STALE_BUTTON)
    return service.get_shift(ctx, int(arg))


@registry.button("acc")
def accept(ctx: Ctx, arg: str) -> list[Reply]:
    """Claims the shift if still open; she is confirmed, the site told, the other offers closed."""
    outcome = service.accept(ctx, shift_id=shift_from(ctx, arg).id or 0, floater_id=ctx.person_id)
    if outcome == service.Accepted.ALREADY_YOURS:
        return [reply(_("You already have this shift — thank you! Send /shifts to see it."))]
    if outcome == service.Accepted.TAKEN:
        return [
            reply(
                _("Sorry — this shift has just been filled by someone else. Thank you for answering!"), ephemeral=True
            )
        ]
    return []


@registry.button("dec")
def decline(ctx: Ctx, arg: str) -> list[Reply]:
    """Records the decline (she may still accept while the shift is open, and is told so); the last decline of a
    wave brings the next wave, or alerts the Hub when nobody is left."""
    shift = shift_from(ctx, arg)
    if not service.decline(ctx, shift_id=shift.id or 0, floater_id=ctx.person_id):
        offer = offer_of(ctx.session, shift_id=shift.id or 0, floater_id=ctx.person_id)
        if offer is not None and offer.status == OfferStatus.DECLINED and shift.status == ShiftStatus.OPEN:
            return [reply(_("You declined this one already. Accept still works while the shift is open."))]
        return [reply(_("Thanks — this offer is already closed."))]
    return [
        reply(
            _("Thanks for letting us know. I'll ask someone else."),
            _("Changed your mind? Accept still works while the shift is open."),
        )
    ]


@registry.button("asg")
def hub_asks(ctx: Ctx, arg: str) -> list[Reply]:
    """Hub staff ask one eligible floater directly; she still confirms with [Accept]."""
    if "hub" not in ctx.roles:
        raise UserError(_("Only Hub staff can assign floaters."))
    shift_part, _sep, floater_part = arg.partition(":")
    shift = shift_from(ctx, shift_part)
    summary = shift_summary(ctx.session, shift, ctx.config.zone)
    if shift.status != ShiftStatus.OPEN:
        status = STATUS_LABELS.get(shift.status, verbatim(shift.status))
        return [reply(_("Already handled: {shift} is {status}.", shift=summary, status=status))]
    floater_id = int(floater_part) if floater_part.isdigit() else 0
    name = name_of(ctx.session, floater_id)
    if not service.ask_floater(ctx, shift_id=shift.id or 0, floater_id=floater_id):
        return [
            reply(_("{name} was already asked to confirm {shift}; waiting for her answer.", name=name, shift=summary))
        ]
    return [reply(_("Asked {name} to confirm {shift}.", name=name, shift=summary))]


@registry.text()
def answered_in_words(ctx: Ctx, text: str) -> list[Reply]:
    """A floater who answers an offer in words ("yes", "acepto", 👍) is shown the offers waiting for her answer,
    each with its [Accept] and [Decline]: one tap says which offer (a word cannot), and nothing is taken for her."""
    if "floater" not in ctx.roles or not is_an_answer(text):
        return []
    waiting = waiting_offers(ctx)
    if waiting is not None:
        return [waiting]
    clear = fold(text).strip(" !.?¿¡").split(" ")[0] in CLEAR_YES or any(c in ANSWER_EMOJI for c in text)
    return [reply(_("No offers are waiting for your answer."))] if clear else []


def is_an_answer(text: str) -> bool:
    """A short yes or no (`yes I can take it`, `sí`, `no puedo`, 👍), not a sentence about something else."""
    stripped = text.strip()
    if stripped and all(c in ANSWER_EMOJI or c in SKIN_TONES or c.isspace() or c == "\ufe0f" for c in stripped):
        return True
    said = fold(stripped).translate(str.maketrans(",!.?¿¡", "      ")).replace("’", "'").split()
    if not 0 < len(said) <= MAX_ANSWER_WORDS:
        return False
    return said[0] in ANSWER_WORDS or tuple(said[:2]) in ANSWER_PAIRS
