"""Every button, pressed with a forged or stale payload by anyone, gets a kind answer — never an error."""

from __future__ import annotations

from tests.dialog import Dialog

JUNK = ("", "abc", "999999:1:2")


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
