"""Sends outbox rows: resolves each recipient's chat, honours rate limits, retries, and records the outcome.

Several sends are under way at once (each in its own task), replies to the person who just wrote first. What
became of each send is recorded with the next round, in the round's own transaction: one write for many sends,
so a person's message seldom waits for the database behind the dispatcher.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.dispatch.limits import Limiter
from bot.dispatch.outcomes import Dead, Deferred, Outcome, Released, Sent
from bot.dispatch.rounds import Plan, Round, Start, address_of, method_of, plan_of, with_files
from bot.dispatch.senders import Delivered, Outgoing, PartlySent, Permanent, RetryLater, Sender
from bot.offload import Offload
from handlers.clock import Clock
from handlers.contract import Surface
from models.db import session_scope
from models.messaging import due, leases, outbox
from models.messaging.leases import Fence
from models.messaging.tables import OutboxKind, OutboxMessage, Priority

log = logging.getLogger(__name__)
UNEXPECTED_WAIT = timedelta(seconds=30)
MAX_BACKOFF = 60.0
ONE_PROCESS = leases.local("this process")  # SQLite, and tests: no lease to hold


def _one_process() -> Fence | None:
    return ONE_PROCESS


@dataclass
class Dispatcher:
    """Keeps up to `in_flight` sends under way per platform, replies to the person who just wrote first.

    Per chat one message at a time, in the outbox's order; a slow chat holds one slot, not the others. The last
    `slots_for_replies` slots and the limiter's reply budget are never spent on broadcasts (offers, reminders).
    Each row is claimed under `fence()` before it is sent, and sent only while that fence still holds, so two
    dispatchers (a leader and the one that replaced it) never send the same row.
    """

    engine: Engine
    clock: Clock
    senders: Mapping[str, Sender]
    limiters: Mapping[str, Limiter]
    batch: int = 200  # due rows a round may look at (past rows held by their chat's rate, to reach others)
    window: int = 40  # of those, read first: most rounds find what they can start in them
    # The rest, when it last started nothing (its rows' platform busy while another has room), is read again no
    # sooner than this: a backlog waiting for Slack's slots is not read whole on every round.
    look_deeper_every: timedelta = timedelta(seconds=1)
    in_flight: int = 8
    offload: Offload = asyncio.to_thread  # where its database work runs (serve: bot/offload.py)
    slots_for_replies: int = 2
    give_up: timedelta = timedelta(hours=6)  # failing (5xx, timeouts) this long after it was written: dead
    fence: Callable[[], Fence | None] = _one_process  # None: not leading now (claim nothing, start nothing)
    # Draws a person's surface (kind, person id, platform) when its row starts; None: such rows are skipped.
    draw: Callable[[OutboxKind, int, str], Surface | None] | None = None
    sent: int = field(default=0, init=False)
    _wake: asyncio.Event | None = field(default=None, init=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)
    # row id → (platform, chat): under way, or done and waiting to be recorded (so it is not picked again)
    _sending: dict[int, tuple[str, str]] = field(default_factory=dict, init=False)
    _tasks: set[asyncio.Task[Outcome]] = field(default_factory=set, init=False)
    _outcomes: list[Outcome] = field(default_factory=list, init=False)  # finished, recorded with the next round
    _shallow_until: datetime | None = field(default=None, init=False)  # see `look_deeper_every`

    def wake(self) -> None:
        """New rows were committed: send them now rather than at the next idle check (same event loop)."""
        if self._wake is not None:
            self._wake.set()

    def wake_threadsafe(self) -> None:
        """`wake` from another thread (the scheduler's)."""
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run_once(self) -> int:
        """Send what is due and allowed by the rate limits now, wait for those sends and record them; how many
        went out."""
        before = self.sent
        tasks, _ = await self._start_round()
        await asyncio.gather(*tasks)
        await self._record()
        return self.sent - before

    async def run_forever(self, stop: asyncio.Event, idle: float = 0.5) -> None:
        """Rounds until `stop` or until this process no longer leads: at once after a wake-up or a finished send,
        when a held row may go, every `idle` seconds otherwise; then waits for the sends under way, so each is
        recorded."""
        self._wake, self._loop = asyncio.Event(), asyncio.get_running_loop()
        while not stop.is_set() and self.fence() is not None:
            self._wake.clear()
            try:
                _, retry_in = await self._start_round()
                wait = idle if retry_in is None else min(idle, max(retry_in, 0.01))
            except Exception:
                log.exception("dispatcher round failed")
                wait = idle
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(waits, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            for waiting in waits:
                waiting.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks)
        try:
            await self._record()
        except Exception:  # the rows stay pending: the next leader sends them again (at least once)
            log.exception("recording the last sends failed")

    async def _record(self) -> None:
        """Record what finished since the last round, in a transaction of its own (the last round's, a test's)."""
        outcomes, self._outcomes = self._outcomes, []
        try:
            await self.offload(self._in_transaction, lambda session: self._apply(session, outcomes))
        except BaseException:
            self._outcomes[:0] = outcomes  # kept for the next try; their rows stay out of the rounds meanwhile
            raise
        self._recorded(outcomes)

    async def _start_round(self) -> tuple[list[asyncio.Task[Outcome]], float | None]:
        """Record what finished, pick what may go now and start sending it, each in its own task."""
        outcomes, self._outcomes = self._outcomes, []
        try:
            picked = await self.offload(self._round, outcomes, dict(self._sending))
        except BaseException:
            self._outcomes[:0] = outcomes
            raise
        self._recorded(outcomes)
        tasks = []
        for start in picked.starts:
            self._sending[start.row.id or 0] = (start.plan.platform, start.plan.message.chat_id)
            task = asyncio.create_task(self._deliver(start))
            task.add_done_callback(self._finished(start.row.id or 0))
            self._tasks.add(task)
            tasks.append(task)
        return tasks, picked.retry_in

    def _finished(self, row_id: int) -> Callable[[asyncio.Task[Outcome]], None]:
        def done(task: asyncio.Task[Outcome]) -> None:
            self._tasks.discard(task)
            if task.cancelled() or task.exception() is not None:
                log.error(
                    "sending outbox row %s failed", row_id, exc_info=None if task.cancelled() else task.exception()
                )
                self._sending.pop(row_id, None)  # nothing to record: it stays pending, and is tried again
            else:
                self._outcomes.append(task.result())
            self.wake()  # a slot and a chat are free again, and there is something to record

        return done

    def _recorded(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self._sending.pop(outcome.row_id, None)
            self.sent += isinstance(outcome, Sent)

    def _in_transaction(self, work: Callable[[Session], None]) -> None:
        with session_scope(self.engine) as session:
            work(session)

    def _round(self, outcomes: list[Outcome], sending: Mapping[int, tuple[str, str]]) -> Round:
        """One transaction: record the outcomes, then pick. The recorded rows free their slots and chats for this
        very pick (else the round that records the last sends would start nothing, and nothing would wake the
        next one); they are still left out of it, by id. With nothing to record and no room to start anything, no
        transaction at all (on SQLite it would take the write lock a person's message may be waiting for)."""
        done = {outcome.row_id for outcome in outcomes}
        under_way = {row_id: chat for row_id, chat in sending.items() if row_id not in done}
        busy = Counter(platform for platform, _ in under_way.values())
        if not outcomes and not any(self._room(p, busy[p], reply=True) for p in self.senders):
            return Round([], min(self._overall_waits(True), default=None))
        with session_scope(self.engine) as session:
            self._apply(session, outcomes)
            return self._pick(session, under_way, skip=done)

    def _apply(self, session: Session, outcomes: list[Outcome]) -> None:
        now = self.clock.now()
        sent = [
            outbox.SentRow(o.row_id, o.delivered.message_id, o.platform, o.delivered.chat_id)
            for o in outcomes
            if isinstance(o, Sent)
        ]
        # Most of a round's outcomes, in one statement — a core UPDATE, so it comes first: an edit's original
        # read later in this session (`plan_of`) is then read as sent, not as the pending row it was.
        outbox.mark_sent_many(session, sent, at=now)
        for outcome in outcomes:
            match outcome:
                case Sent():
                    continue  # marked above, with the round's other sends
                case Deferred(row_id, wait, reason, failure, parts):
                    if parts is not None:
                        self._parts(session, row_id, *parts)
                    self._defer(session, row_id, wait, reason, failure)
                case Dead(row_id, reason):
                    outbox.mark_dead(session, message_id=row_id, reason=reason)
                case Released(row_id, holder):
                    due.release(session, message_id=row_id, holder=holder)

    def _pick(self, session: Session, sending: Mapping[int, tuple[str, str]], skip: Collection[int] = ()) -> Round:
        """The due rows that may go now, in priority order, within the free slots and the rate limits.

        A handful of queries whatever the backlog: the round's transaction is short (on SQLite it holds the write
        lock), so a person's own message is never kept waiting behind it. The due rows are read `window` first,
        and the rest of `batch` only when those leave room (not again within `look_deeper_every` of a read of the
        rest that started nothing). Rows are chosen by a few columns each (`due.pending_heads`); only those chosen
        are claimed, and read whole by the same statement. Rows another dispatcher claimed are left alone unless
        its process is gone. With no room for anything, nothing is read at all.
        `sending`: the rows under way (their slots and chats are taken); `skip`: other ids not to pick, whatever
        their state."""
        fence = self.fence()
        if fence is None:
            return Round([], None)
        busy = Counter(platform for platform, _ in sending.values())
        if not any(self._room(p, busy[p], reply=True) for p in self.senders):  # replies have the most room
            return Round([], min(self._overall_waits(True), default=None))
        now = self.clock.now()
        chats, seen = set(sending.values()), {*sending, *skip}
        chosen: list[tuple[due.Head, tuple[str, str]]] = []
        waits: list[float] = []
        looked = 0
        while looked < self.batch:  # the first `window` rows; the rest of `batch` only if room is left after them
            deeper = looked > 0
            if deeper and self._shallow_until is not None and now < self._shallow_until:
                break  # the rest started nothing a moment ago (another platform's room, not theirs): not again yet
            limit = min(max(self.window, 1), self.batch) if not deeper else self.batch - looked
            broadcasts = any(self._room(p, busy[p], reply=False) for p in self.senders)
            heads = due.pending_heads(
                session,
                now=now,
                limit=limit,
                skip=seen,
                fence=fence,
                replies_only=not broadcasts,
                platforms=list(self.senders),
            )
            more, held = self._choose(session, heads, busy, chats)
            if deeper:
                self._shallow_until = None if more else now + self.look_deeper_every
            chosen, waits, looked = chosen + more, waits + held, looked + len(heads)
            seen.update(head.id for head in heads)
            if len(heads) < limit:
                break  # no more due rows
            rest_are_replies = heads[-1].priority <= Priority.REPLY  # the rest come after, in priority order
            if not any(self._room(p, busy[p], reply=rest_are_replies) for p in self.senders):
                waits += self._overall_waits(rest_are_replies)  # when the rates let the rest go, if they hold it
                break
        rows = due.claim(session, ids=[head.id for head, _ in chosen], fence=fence, at=now)
        starts: list[Start] = []
        for head, (platform, chat_id) in chosen:
            row = rows.get(head.id)
            plan = plan_of(session, row, platform, chat_id, now=now) if row is not None else None
            if row is None or plan is None:
                continue  # gone or claimed meanwhile, or an edit waiting for its original (deferred, unclaimed)
            starts.append(Start(row, plan, fence))
        return Round(with_files(session, starts), min(waits, default=None))

    def _choose(
        self, session: Session, heads: list[due.Head], busy: Counter[str], chats: set[tuple[str, str]]
    ) -> tuple[list[tuple[due.Head, tuple[str, str]]], list[float]]:
        """In order: the rows with a free slot, a free chat (one message at a time per chat, in order) and room in
        the rate limits, each counted against them as it is chosen; and how soon each held row could go. A row to
        a person goes to the chat `due.pending_heads` found for her with the row (no query per row here: a round
        may pass over a long backlog of rows whose platform is busy, to reach one whose platform is not)."""
        chosen: list[tuple[due.Head, tuple[str, str]]] = []
        waits: list[float] = []
        # Which platforms have room, for replies and for broadcasts, and how soon a held row of each kind could
        # go: worked out once, and again only after a row is chosen (a row passed over changes neither).
        rooms: dict[bool, dict[str, bool]] = {}
        held: set[bool] = set()  # the kinds (reply or not) whose overall waits are in `waits` already
        for head in heads:
            reply = head.priority <= Priority.REPLY
            room = rooms.get(reply)
            if room is None:
                room = rooms[reply] = {p: self._room(p, busy[p], reply) for p in self.senders}
            if not any(room.values()):
                waits += self._overall_waits(reply)
                break  # nothing more can start anywhere this round
            address = address_of(session, head, enabled=self.senders)
            if address is None:
                continue
            platform, chat_id = address
            if not room[platform]:
                if reply not in held:
                    waits += self._overall_waits(reply)
                    held.add(reply)
                continue
            if address in chats:
                continue
            limiter = self.limiters[platform]
            wait = max(limiter.wait(chat_id, reply=reply), limiter.paused(method_of(head)))
            if wait > 0:
                waits.append(wait)
                continue  # stays due; a later round sends it
            limiter.record(chat_id, reply=reply)
            busy[platform] += 1
            chats.add(address)
            chosen.append((head, address))
            rooms.clear()
            held.clear()
        return chosen, waits

    def _room(self, platform: str, busy: int, reply: bool) -> bool:
        """A free slot (broadcasts leave the last few to replies) and room in the overall rate."""
        slots = self.in_flight - (0 if reply else self.slots_for_replies)
        return busy < slots and self.limiters[platform].overall_wait(reply=reply) == 0

    def _overall_waits(self, reply: bool) -> list[float]:
        """When the overall rates next let a message through (a full slot frees itself: its send wakes us)."""
        return [w for p in self.senders if (w := self.limiters[p].overall_wait(reply=reply)) > 0]

    async def _deliver(self, start: Start) -> Outcome:
        """Send one row (nothing is written here: the outcome is recorded with the next round)."""
        row, plan = start.row, start.plan
        sender, row_id = self.senders[plan.platform], row.id or 0
        if self.fence() != start.fence:  # leadership was lost since the claim (a stall, a takeover): not ours now
            return Released(row_id, start.fence.holder)
        try:
            if plan.message.kind != OutboxKind.MESSAGE:
                await self._show(sender, plan.message)
                delivered = Delivered("", plan.message.chat_id)
            elif plan.message.message_id is not None:
                await sender.edit(plan.message)
                delivered = Delivered(plan.message.message_id, plan.message.chat_id)
            else:
                delivered = await sender.send(plan.message)
        except PartlySent as partly:  # some parts are there: keep them, and retry only the rest
            return self._later(row, plan, partly.cause, parts=(partly.parts, partly.delivered))
        except RetryLater as later:
            return self._later(row, plan, later)
        except Permanent as never:
            return Dead(row_id, str(never))
        except Exception as problem:
            log.exception("unexpected error sending outbox row %s", row_id)
            return Deferred(row_id, UNEXPECTED_WAIT, repr(problem), True)
        return Sent(row_id, plan.platform, delivered)

    async def _show(self, sender: Sender, message: Outgoing) -> None:
        """Draw the surface as it is now (a read of its own, off the event loop) and put it on the platform."""
        if self.draw is None or message.person_id is None:
            return
        surface = await self.offload(self.draw, message.kind, message.person_id, sender.platform)
        if surface is not None:
            await sender.show(message.chat_id, surface)

    def _later(
        self, row: due.Picked, plan: Plan, later: RetryLater, parts: tuple[int, Delivered | None] | None = None
    ) -> Deferred:
        """A 429 waits what it says — and pauses what the platform means: the whole bot (Telegram) or one method
        (Slack); other trouble backs off 2, 4, 8 … 60 seconds."""
        if later.pause is not None:
            self.limiters[plan.platform].pause(later.pause, later.seconds)
        backoff = min(MAX_BACKOFF, 2.0 ** (row.attempts + 1))
        seconds = max(later.seconds, backoff) if later.failure else later.seconds
        log.warning("outbox row %s not sent (%s); trying again in %.0f s", row.id, later.reason, seconds)
        return Deferred(row.id or 0, timedelta(seconds=seconds), later.reason, later.failure, parts)

    def _defer(self, session: Session, row_id: int, wait: timedelta, reason: str, failure: bool) -> None:
        """Try again after `wait` — unless it has failed since longer than `give_up`: then it is dead, with its
        reason, for /undelivered (a rate limit's wait is no failure and never gives up)."""
        row = session.get(OutboxMessage, row_id)
        if failure and row is not None and self.clock.now() - row.created_at >= self.give_up:
            hours = self.give_up.total_seconds() / 3600
            outbox.mark_dead(session, message_id=row_id, reason=f"gave up after {hours:g} h of failures: {reason}")
            return
        outbox.defer(session, message_id=row_id, until=self.clock.now() + wait, error=reason, failure=failure)

    def _parts(self, session: Session, row_id: int, parts: int, delivered: Delivered | None) -> None:
        outbox.record_parts(
            session,
            message_id=row_id,
            parts=parts,
            platform_message_id=delivered.message_id if delivered else None,
            chat_id=delivered.chat_id if delivered else None,
        )
