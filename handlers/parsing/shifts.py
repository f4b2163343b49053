"""Days and hours put together into shifts: which hours belong to which days, and what is already past."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from handlers.parsing.dates import DateGroup
from handlers.parsing.times import TimeRange


@dataclass(frozen=True)
class ShiftSpec:
    day: date
    start: time | None
    end: time | None


Pair = tuple[date, time | None, time | None]


@dataclass(frozen=True)
class Assembled:
    ahead: tuple[ShiftSpec, ...]  # the shifts to ask for
    over: tuple[ShiftSpec, ...]  # the days (and hours) named that are already over
    past: bool  # every day named is over


def assemble(groups: list[DateGroup], slots: list[TimeRange], local: datetime, *, asks: bool) -> Assembled:
    """The shifts still ahead, those already over, and whether every day the message names is over (`past`).

    Hours without a day are today if the start is still ahead, otherwise tomorrow. Days without hours are shifts
    only when the message asks for cover.
    """
    if not groups and slots:
        still_ahead = slots[0].start > local.time().replace(tzinfo=None)
        day = local.date() if still_ahead else local.date() + timedelta(days=1)
        groups = [DateGroup(slots[0].position, (day,))]
    pairs = pair_up(groups, slots)
    over = [pair for pair in pairs if _is_past(pair, local)]
    ahead = [pair for pair in pairs if not _is_past(pair, local)] if slots or asks else []
    return Assembled(_ordered(ahead), _ordered(over), bool(pairs) and len(over) == len(pairs))


def _ordered(pairs: Iterable[Pair]) -> tuple[ShiftSpec, ...]:
    unique = sorted(set(pairs), key=lambda p: (p[0], p[1] or time.min, p[2] or time.min))
    return tuple(ShiftSpec(day, start, end) for day, start, end in unique)


def pair_up(groups: list[DateGroup], slots: list[TimeRange]) -> list[Pair]:
    """Every day with its hours: one range goes with every day; several go with their own days, in order."""
    if not slots:
        return [(day, None, None) for group in groups for day in group.days]
    if len(slots) == 1:
        return [(day, slots[0].start, slots[0].end) for group in groups for day in group.days]
    owners = _follow(groups, slots) if groups and groups[0].position <= slots[0].position else _precede(groups, slots)
    return [(day, slot.start, slot.end) for slot, own in zip(slots, owners, strict=True) for g in own for day in g.days]


def _follow(groups: list[DateGroup], slots: list[TimeRange]) -> list[list[DateGroup]]:
    """Ranges after their days (`tomorrow 8-12 and 2-4 and friday 9-11`): each takes the days since the last one.

    A range with no days of its own shares the previous range's; days after the last range go with it.
    """
    owners: list[list[DateGroup]] = []
    for index, slot in enumerate(slots):
        after = slots[index - 1].position if index else -1
        owners.append([g for g in groups if after < g.position <= slot.position])
    trailing = [g for g in groups if g.position > slots[-1].position]
    owners[-1] = (owners[-1] + trailing) if owners[-1] else trailing
    for index in range(1, len(owners)):
        owners[index] = owners[index] or owners[index - 1]
    return owners


def _precede(groups: list[DateGroup], slots: list[TimeRange]) -> list[list[DateGroup]]:
    """Ranges before their days (`8-12 tomorrow and 1-5 friday`): each takes the days up to the next range.

    A range with no days of its own shares the next range's (`7-11 and 12-4 on friday`).
    """
    owners: list[list[DateGroup]] = []
    for index, slot in enumerate(slots):
        before = slots[index + 1].position if index + 1 < len(slots) else float("inf")
        owners.append([g for g in groups if slot.position <= g.position < before])
    for index in range(len(owners) - 2, -1, -1):
        owners[index] = owners[index] or owners[index + 1]
    for index in range(1, len(owners)):
        owners[index] = owners[index] or owners[index - 1]
    return owners


def _is_past(pair: Pair, local: datetime) -> bool:
    """A day before today, or a shift today whose end has passed (`sick today 7-3` at 07:15 is still ahead)."""
    day, _start, end = pair
    today = local.date()
    return day < today or (day == today and end is not None and end <= local.time().replace(tzinfo=None))
