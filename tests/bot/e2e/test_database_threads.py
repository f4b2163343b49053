"""Where `serve` runs its database work: messages, forms, Home tabs and the dispatcher on its few database threads
(bot/offload.py); nothing of it on the event loop or asyncio's default executor."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event

from tests.bot.e2e.stack import Stack, texts_to
from tests.bot.fakes.slack_requests import home_opened


def test_messages_forms_home_tabs_and_their_replies_use_the_database_threads_only(stack: Stack) -> None:
    statements: list[tuple[str, str]] = []  # (thread, statement)

    def executed(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append((threading.current_thread().name, statement.lower()))

    engine = stack.app.state.runtime.engine
    event.listen(engine, "before_cursor_execute", executed)
    try:
        assert stack.telegram_text(1001, "help").status_code == 200
        assert stack.slack_dm("UMARIA", "help").status_code == 200
        assert stack.slack_command("UMARIA", "floater").status_code == 200  # her form: core.form
        assert stack.slack_post(*home_opened("UMARIA", "EvThreads")).status_code == 200  # her Home tab
        stack.telegram.wait_for(lambda calls: len(texts_to(stack.telegram, 1001)) == 1)
        stack.slack.wait_for(
            lambda calls: (
                len(texts_to(stack.slack, "DMARIA", "chat.postMessage")) == 1
                and bool(stack.slack.delivered("views.open"))
                and bool(stack.slack.delivered("views.publish"))
            )
        )
    finally:
        event.remove(engine, "before_cursor_execute", executed)

    arrivals = [thread for thread, sql in statements if sql.startswith("insert into inboxevent")]
    sends = [thread for thread, sql in statements if sql.startswith("update outboxmessage")]
    assert len(arrivals) == 2  # her Telegram message and her Slack one
    assert sends  # the dispatcher claimed the replies, and recorded them sent
    # Every statement but the scheduler's tick (APScheduler's own thread, every second here) ran on them.
    threads = {thread for thread, _ in statements if not thread.startswith("ThreadPoolExecutor")}
    assert {thread.rpartition("_")[0] for thread in threads} == {"database"}
    assert stack.settings.database_threads == 2
