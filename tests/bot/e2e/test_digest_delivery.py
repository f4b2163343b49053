"""The digest reaches the Alliance channels with its chart and tables: Telegram photo + documents, Slack files."""

from __future__ import annotations

from handlers.contract import Recipient, RecipientKind
from handlers.delivery import enqueue_replies
from models.db import session_scope
from scheduler.digest.schedule import message
from tests.bot.e2e.stack import START, Stack


def test_the_digest_and_its_files_reach_both_platforms(stack: Stack) -> None:
    config = stack.app.state.runtime.core.config
    with session_scope(stack.engine) as session:
        replies = [
            message(
                session,
                week_label="2026-W48",
                config=config,
                now=START,
                to=Recipient(RecipientKind.CHANNEL, channel=channel),
            )
            for channel in (("telegram", "-100500"), ("slack", "C0HUB"))
        ]
        enqueue_replies(session, replies, at=START, config=config)
    tg = stack.telegram.wait_for(lambda calls: sum(c.method in ("sendPhoto", "sendDocument") for c in calls) == 3)
    text = next(c for c in tg if c.method == "sendMessage")
    assert str(text.params["text"]).startswith("Alliance digest — week 2026-W48")
    photo = next(c for c in tg if c.method == "sendPhoto")
    assert photo.params["photo"]["filename"] == "alliance-digest-2026-W48.png"
    assert photo.params["photo"]["size"] > 10_000
    documents = sorted(c.params["document"]["filename"] for c in tg if c.method == "sendDocument")
    assert documents == ["alliance-digest-2026-W48.csv", "alliance-digest-2026-W48.xlsx"]
    sl = stack.slack.wait_for(lambda calls: any(c.method == "files.completeUploadExternal" for c in calls))
    assert [c.params["channel"] for c in sl if c.method == "chat.postMessage"] == ["C0HUB"]
    assert sum(1 for c in sl if c.method == "upload") == 3


def test_a_file_that_fails_is_sent_again_alone_not_the_text_before_it(stack: Stack) -> None:
    config = stack.app.state.runtime.core.config
    with stack.telegram.condition:
        stack.telegram.method_faults["sendPhoto"] = [("500", 0)]
    with stack.slack.condition:
        stack.slack.method_faults["files.completeUploadExternal"] = [("500", 0)]
    with session_scope(stack.engine) as session:
        replies = [
            message(
                session, week_label="2026-W48", config=config, now=START, to=Recipient(RecipientKind.CHANNEL, channel=c)
            )
            for c in (("telegram", "-100500"), ("slack", "C0HUB"))
        ]
        enqueue_replies(session, replies, at=START, config=config)
    tg = stack.telegram.wait_for(lambda calls: sum(c.method == "sendDocument" for c in calls) == 2, timeout=40)
    assert [c.outcome for c in tg if c.method == "sendPhoto"] == ["500", "ok"]
    assert sum(c.method == "sendMessage" for c in tg) == 1  # the text went once
    sl = stack.slack.wait_for(
        lambda calls: [c.outcome for c in calls if c.method == "files.completeUploadExternal"] == ["500", "ok"],
        timeout=40,
    )
    assert sum(c.method == "chat.postMessage" for c in sl) == 1
