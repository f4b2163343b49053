"""A whole floater request on Slack, through the real server and slack-bolt, over HTTP; signatures; retries."""

from __future__ import annotations

from functools import partial

from sqlalchemy import func
from sqlmodel import select

from models.db import session_scope
from models.messaging.tables import InboxEvent, OutboxMessage
from tests.bot.e2e.stack import Stack, texts_to


def posted(stack: Stack, channel: str) -> list[str]:
    return texts_to(stack.slack, channel, "chat.postMessage")


def test_a_floater_request_end_to_end(stack: Stack) -> None:
    sl = stack.slack
    assert stack.slack_dm("UMARIA", "necesito flotante mañana de 8 a 12, capacitación").status_code == 200
    calls = sl.wait_for(lambda calls: len(posted(stack, "DMARIA")) == 1)
    summary = next(c for c in calls if c.method == "chat.postMessage")
    assert str(summary.params["text"]).startswith("Revisa tu solicitud:")
    buttons = [e for block in summary.params["blocks"] if block["type"] == "actions" for e in block["elements"]]
    assert [(b["text"]["text"], b["value"]) for b in buttons] == [
        ("Enviar", "cv:send"),
        ("Cambiar", "cv:change"),
        ("Cancelar", "cv:cancel"),
    ]

    assert stack.slack_press("UMARIA", "cv:send").status_code == 200
    sl.wait_for(lambda calls: len(posted(stack, "USOFIA")) == 1 and len(posted(stack, "USAM")) == 1)
    assert posted(stack, "USOFIA")[0].startswith("¿Puedes cubrir este turno?")  # DMs go to the user id

    assert stack.slack_press("USAM", "acc:1").status_code == 200
    sl.wait_for(
        lambda calls: (
            len(sl.delivered("chat.update")) == 1
            and any("Sam Rivera" in t for t in posted(stack, "UCARMEN"))
            and any("Sam Rivera" in t for t in posted(stack, "DMARIA"))
        )
    )
    update = sl.delivered("chat.update")[0]
    assert update.params["channel"] == "DSOFIA"  # the DM channel Slack answered with, not the user id
    assert str(update.params["text"]).startswith("Cubierto, ¡gracias!")
    sl.wait_for(lambda calls: any(t.startswith("Confirmed — thank you!") for t in posted(stack, "DSAM")))


def replied(stack: Stack, times: int, _calls: object) -> bool:
    return len(posted(stack, "DMARIA")) == times


def test_web_api_calls_keep_their_connections_open(stack: Stack) -> None:
    """slack_sdk opens a session, and a connection, for each call unless it is given one: the server shares one
    session, so calls made one after another reuse its kept-alive connection."""
    for n in range(1, 5):
        assert stack.slack_dm("UMARIA", "/help", event_id=f"EvKeep{n}").status_code == 200
        stack.slack.wait_for(partial(replied, stack, n))
    calls = len(stack.slack.calls)
    assert calls >= 5  # auth.test, users.info, conversations.open and the four replies at least
    assert len(stack.slack.connections) <= 2, (calls, stack.slack.connections)


def test_a_forged_or_stale_signature_gets_401_and_stores_nothing(stack: Stack) -> None:
    assert stack.slack_dm("UMARIA", "/help", secret="not-the-secret").status_code == 401
    assert stack.slack_dm("UMARIA", "/help", age=6 * 60).status_code == 401
    with session_scope(stack.engine) as session:
        assert session.exec(select(func.count()).select_from(InboxEvent)).one() == 0
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0
    assert stack.slack.delivered("chat.postMessage") == []


def test_a_retried_event_is_processed_once(stack: Stack) -> None:
    assert stack.slack_dm("UMARIA", "/ayuda", event_id="Ev42").status_code == 200
    assert stack.slack_dm("UMARIA", "/ayuda", event_id="Ev42", retry=1).status_code == 200
    stack.slack.wait_for(lambda calls: len(posted(stack, "DMARIA")) == 1)
    with session_scope(stack.engine) as session:
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 1


def test_slack_users_are_linked_by_profile_email_or_told_how(stack: Stack) -> None:
    stack.slack_dm("UHANA", "hello")  # her Slack profile e-mail is on the roster
    stack.slack_dm("UNOBODY", "hello")  # this one's is not
    stack.slack.wait_for(lambda calls: len(posted(stack, "DHANA")) == 1 and len(posted(stack, "DNOBODY")) == 1)
    assert posted(stack, "DHANA")[0].startswith("Welcome, Hana Okafor!")
    assert "e-mail address of your Slack profile" in posted(stack, "DNOBODY")[0]
    assert "Sunflower" not in posted(stack, "DNOBODY")[0]


def test_a_late_accept_is_told_privately_on_slack(stack: Stack) -> None:
    stack.slack_dm("UMARIA", "necesito flotante mañana de 8 a 12, capacitación")
    stack.slack.wait_for(lambda calls: len(posted(stack, "DMARIA")) == 1)
    stack.slack_press("UMARIA", "cv:send")
    stack.slack.wait_for(lambda calls: len(posted(stack, "USOFIA")) == 1 and len(posted(stack, "USAM")) == 1)
    stack.slack_press("USAM", "acc:1")
    stack.slack_press("USOFIA", "acc:1")
    calls = stack.slack.wait_for(lambda calls: any(c.method == "chat.postEphemeral" for c in calls))
    ephemeral = next(c for c in calls if c.method == "chat.postEphemeral")
    assert (ephemeral.params["channel"], ephemeral.params["user"]) == ("DSOFIA", "USOFIA")
    assert str(ephemeral.params["text"]).startswith("Perdón, otra persona acaba de tomar este turno.")


def test_an_unexpected_error_is_logged_and_the_person_gets_an_apology(stack: Stack) -> None:
    def broken(incoming: object) -> list[object]:
        raise RuntimeError("database exploded: secret internals")

    stack.app.state.runtime.core.handle = broken
    assert stack.slack_dm("UMARIA", "/ayuda").status_code == 200
    stack.slack.wait_for(lambda calls: len(posted(stack, "DMARIA")) == 1)
    assert posted(stack, "DMARIA") == [
        "Sorry, something went wrong on our side and nothing was saved. Please try again in a minute."
    ]


def test_slack_messages_arrive_once_despite_faults_within_the_rate_limit(stack: Stack) -> None:
    sl = stack.slack
    with sl.condition:
        sl.faults += [("429", 1), ("500", 0), ("slow", 4)]  # slow > the 3 s timeout
    for text in ("/ayuda", "/yo", "/solicitudes"):
        stack.slack_dm("UMARIA", text)
    sl.wait_for(lambda calls: len(posted(stack, "DMARIA")) == 3, timeout=40)
    assert len(set(posted(stack, "DMARIA"))) == 3
    assert {c.outcome for c in sl.calls} >= {"ok", "429", "500", "slow"}
    assert sl.rate_violations("channel", per_chat=1.0, overall=50) == []
