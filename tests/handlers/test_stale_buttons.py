"""Every button, pressed with a forged or stale payload by anyone, gets a kind answer — never an error."""

from __future__ import annotations

import pytest

from tests.dialog import Dialog

JUNK = ("", "abc", "999999:1:2")


@pytest.mark.twin
def test_forged_payloads_of_every_button_are_answered_kindly(demo: Dialog) -> None:
    failures = []
    for who in ("Alice", "Emma", "Hana"):
        demo.as_(who)
        for prefix in sorted(demo.core.registry.buttons):
            for junk in JUNK:
                try:
                    answers = demo.presses(f"{prefix}:{junk}")
                except Exception as problem:  # collected: the test names every one at once
                    failures.append(f"{who} {prefix}:{junk} → {problem!r}"[:160])
                    continue
                if any("went wrong" in m.text for m in answers):
                    failures.append(f"{who} {prefix}:{junk}")
    assert not failures, "\n".join(failures)


def test_a_floater_cannot_publish_a_session_with_a_forged_supervisor_button(demo: Dialog) -> None:
    from sqlmodel import select

    from models.db import session_scope
    from models.supervision.tables import SupervisionSession

    demo.as_("Sofía")
    for wrap in ("", "ok:c0de:"):  # pressed as it is, or wrapped in a confirm dialog's [Yes]
        assert demo.presses(f"{wrap}rsn:new")[0].text.startswith("Ese botón ya no está activo")
        demo.says("fri 13:00")
        for n, payload in enumerate(("rsl:60", "rsr:none", "rsc:1", "rsp:video")):
            demo.presses(f"ok:{n}{wrap[3:]}{payload}" if wrap else payload)
    with session_scope(demo.engine) as session:
        hers = session.exec(select(SupervisionSession).where(SupervisionSession.supervisor_id == demo.who_id())).all()
    assert hers == []
