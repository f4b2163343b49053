"""Surveys as dialogs: send, answer (en, es), bad numbers, resume, change, submit once, anonymous, preview."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from models.db import session_scope
from models.surveys.tables import SiteMetric, SurveyInvite, SurveyResponse
from tests.dialog import Dialog, Sent, only, to


def send(demo: Dialog, survey: str, audience: str = "director", days: int = 3) -> list[Sent]:
    """Hub staff send a survey with the buttons of /surveys; returns what everyone received."""
    return demo.as_("Hana").presses(f"ss:{survey}:{audience}:{days}:none")


def invite_of(messages: list[Sent], name: str) -> Sent:
    return only([m for m in to(messages, name) if m.buttons and m.buttons[0][1].startswith("sv:start:")])


def test_a_director_answers_the_weekly_pulse_in_english(demo: Dialog) -> None:
    sent = send(demo, "weekly-pulse")
    assert to(sent, "Hana")[0].text.startswith("Sent “Weekly pulse” to 2 people.")
    intro = invite_of(sent, "Diana")
    assert intro.text.splitlines()[0] == "📋 Weekly pulse"
    question = only(demo.as_("Diana").presses(intro.press("Start")))
    assert question.text.splitlines() == [
        "Question 1 of 4",
        "How many children are enrolled, in full-time equivalents (FTE)?",
        "Please type a number from 0 to 500 FTE.",
    ]
    demo.says("38.5")
    demo.says("42")
    rating = only(demo.says("3"))
    assert rating.press("4 · Very tight").endswith(":3:4")
    review = only(demo.presses(rating.press("Very tight")))
    assert review.text.splitlines() == [
        "Please check your answers:",
        "1. How many children are enrolled, in full-time equivalents (FTE)? — 38.5 FTE",
        "2. How many FTE places can you staff right now (staffed capacity)? — 42 FTE",
        "3. How many open places (vacancies) do you have? — 3",
        "4. How stretched did staffing feel this week? — 4 · Very tight",
    ]
    assert only(demo.presses(review.press("Submit"))).text == "Thank you! Your answers are in."
    with session_scope(demo.engine) as session:
        metrics = {(m.key, m.period): m.value for m in session.exec(select(SiteMetric)).all()}
    assert metrics == {
        ("enrolled_fte", "2026-W49"): 38.5,
        ("staffed_capacity_fte", "2026-W49"): 42,
        ("open_vacancies", "2026-W49"): 3,
        ("staffing_stretch", "2026-W49"): 4,
    }


def test_a_spanish_director_answers_in_spanish(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse"), "Carmen")
    assert intro.text.splitlines()[0] == "📋 Pulso semanal"
    assert intro.buttons[0][0] == "Empezar"
    first = only(demo.as_("Carmen").presses(intro.press("Empezar")))
    assert first.text.splitlines()[0] == "Pregunta 1 de 4"
    assert only(demo.says("20,5")).text.startswith("Pregunta 2 de 4")  # a decimal comma
    demo.says("24")
    demo.says("1")
    review = only(demo.presses("sq:2:3:2"))
    assert "1. ¿Cuántos niños hay inscritos, en equivalentes de tiempo completo (FTE)? — 20,5 FTE" in review.text
    assert only(demo.presses(review.press("Enviar"))).text == "¡Gracias! Tus respuestas quedaron registradas."


def test_a_bad_number_is_refused_with_its_range_and_asked_again(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse"), "Diana")
    demo.as_("Diana").presses(intro.press("Start"))
    for bad in ("lots", "-4", "9000", "🙂"):
        assert only(demo.says(bad)).text == "Please type a number from 0 to 500 FTE."
    demo.says("30")
    demo.says("31")
    assert only(demo.says("2.5")).text == "Please type a whole number from 0 to 200."
    assert only(demo.says("2")).text.startswith("Question 4 of 4")


def test_stop_and_resume_days_later(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse", days=7), "Diana")
    demo.as_("Diana").presses(intro.press("Start"))
    demo.says("30")
    demo.says("/cancel")
    demo.clock.advance(timedelta(days=2))
    waiting = only(demo.says("/survey"))
    assert waiting.text == "Surveys waiting for your answer:"
    resumed = only(demo.presses(waiting.press("Weekly pulse")))
    assert resumed.text.startswith("Question 2 of 4")  # the first answer was kept


def test_a_cover_request_typed_in_the_middle_of_a_survey_is_answered_and_the_survey_waits(demo: Dialog) -> None:
    """It used to be refused as a bad number ("Escribe un número de 0 a 500 FTE"), and nothing was asked for."""
    intro = invite_of(send(demo, "weekly-pulse", days=7), "Carmen")
    demo.as_("Carmen").presses(intro.press("Empezar"))
    demo.says("20")
    replies = demo.says("necesito flotante mañana de 9 a 12 en Pollitos, enfermedad")
    assert [r.text.splitlines()[0] for r in replies] == [
        "Tus respuestas de la encuesta quedan guardadas: envía /encuesta para seguir.",
        "Revisa tu solicitud:",
    ]
    demo.presses(replies[1].press("Enviar"))
    waiting = only(demo.says("/encuesta"))
    assert only(demo.presses(waiting.press("Pulso semanal"))).text.startswith("Pregunta 2 de 4")  # kept
    assert only(demo.says("lots")).text == "Escribe un número de 0 a 500 FTE."  # a bad answer is still one
    assert only(demo.says("2-3")).text == "Escribe un número de 0 a 500 FTE."  # a range is no cover request here


def test_change_an_answer_on_the_review_screen(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse"), "Diana")
    demo.as_("Diana").presses(intro.press("Start"))
    for answer in ("30", "31", "1"):
        demo.says(answer)
    review = only(demo.presses("sq:1:3:2"))
    menu = only(demo.presses(review.press("Change")))
    question = only(demo.presses(menu.press("1")))
    assert "Your answer so far: 30 FTE" in question.text
    again = only(demo.says("29"))
    assert "1. How many children are enrolled, in full-time equivalents (FTE)? — 29 FTE" in again.text
    doubt = only(demo.presses(again.press("Change")))  # a change is checked against the other answers too
    doubt = only(demo.presses(doubt.press("1")))
    assert only(demo.says("33")).text.endswith("Is that right?")


def test_a_second_submission_does_nothing(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse"), "Diana")
    demo.as_("Diana").presses(intro.press("Start"))
    for answer in ("30", "31", "1"):
        demo.says(answer)
    review = only(demo.presses("sq:1:3:2"))
    demo.presses(review.press("Submit"))
    assert only(demo.presses(review.press("Submit"))).text == "You already answered this survey — thank you!"
    with session_scope(demo.engine) as session:
        assert len(session.exec(select(SurveyResponse)).all()) == 1


def test_after_the_close_the_bot_says_so_kindly(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse", days=2), "Diana")
    demo.wait(timedelta(days=2))
    assert only(demo.as_("Diana").presses(intro.press("Start"))).text.startswith("This survey closed on Wed 2 Dec at")


@pytest.mark.twin
def test_an_anonymous_survey_stores_no_person(demo: Dialog) -> None:
    sent = send(demo, "needs-assessment")
    intro = invite_of(sent, "Diana")
    assert "Anonymous: the Hub sees totals, not who answered what." in intro.text
    first = only(demo.as_("Diana").presses(intro.press("Start")))
    demo.presses(first.press("Bookkeeping"))
    demo.presses(first.press("Marketing"))
    demo.presses("sq:1:0:done")
    demo.presses("sq:1:1:t.floaters")
    demo.presses("sq:1:1:done")
    demo.presses("sq:1:2:staffing")
    demo.presses("sq:1:3:4")
    optional = only(demo.presses("sq:1:4:yes"))
    review = only(demo.presses(optional.press("Skip")))
    assert "6. Anything else the Hub should know?" in review.text
    assert "— (skipped)" in review.text
    demo.presses(review.press("Submit"))
    with session_scope(demo.engine) as session:
        (response,) = session.exec(select(SurveyResponse)).all()
        assert (response.person_id, response.site_id) == (None, None)
        assert response.answers["business_services"] == ["billing", "marketing"]
        assert session.exec(select(SiteMetric)).all() == []
        invite_row = session.exec(select(SurveyInvite).where(SurveyInvite.id == 1)).one()
        assert (invite_row.status, invite_row.draft) == ("submitted", {})
    names = only(demo.as_("Hana").presses("snr:1")).text
    assert names == "1 person has not answered. This survey is anonymous, so names are not shown."


def test_a_preview_never_counts(demo: Dialog) -> None:
    start = demo.as_("Hana").presses("sp:weekly-pulse")
    assert start[0].text.startswith("Preview of “Weekly pulse”")
    for answer in ("30", "31", "1"):
        demo.says(answer)
    review = only(demo.presses("sq:1:3:2"))
    assert only(demo.presses(review.press("Submit"))).text == "Preview finished. Nothing was stored or counted."
    with session_scope(demo.engine) as session:
        assert session.exec(select(SurveyResponse)).all() == []
        assert session.exec(select(SiteMetric)).all() == []
    listing = demo.says("/surveys")
    assert [m.text for m in listing if "answered" in m.text] == []  # the preview run is not listed


def test_the_hub_sees_results_and_who_has_not_answered(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse"), "Diana")
    demo.as_("Diana").presses(intro.press("Start"))
    for answer in ("30", "31", "1"):
        demo.says(answer)
    demo.presses("sq:1:3:2")
    demo.presses("sr:1:submit")
    listing = demo.as_("Hana").says("/surveys")
    assert listing[-1].text == "Weekly pulse 2026-W49: 1 of 2 answered, open"
    summary = only(demo.presses("sres:1")).text
    assert "Answered: 1 of 2 (50%)." in summary
    assert "mean 30, median 30, n=1" in summary
    assert only(demo.presses("snr:1")).text == "Not answered yet (1): Carmen Flores"
    assert "Only Hub staff" in only(demo.as_("Diana").presses("sres:1")).text


def started_drafts(demo: Dialog) -> list[dict[str, object]]:
    with session_scope(demo.engine) as session:
        invites = session.exec(select(SurveyInvite).order_by(col(SurveyInvite.id))).all()
        return [dict(i.draft) for i in invites if i.draft]


def test_a_decimal_point_or_comma_means_the_same_in_either_language(demo: Dialog) -> None:
    sent = send(demo, "weekly-pulse")
    for director, typed in (("Diana", "41,5"), ("Carmen", "41.5")):  # English with a comma, Spanish with a point
        demo.as_(director).presses(invite_of(sent, director).press("Start" if director == "Diana" else "Empezar"))
        assert only(demo.says(typed)).text.splitlines()[0] in ("Question 2 of 4", "Pregunta 2 de 4")
    with session_scope(demo.engine) as session:
        drafts = [i.draft.get("enrolled_fte") for i in session.exec(select(SurveyInvite)).all()]
    assert drafts == [41.5, 41.5]


def test_a_number_that_reads_two_ways_is_asked_about(demo: Dialog) -> None:
    intro = invite_of(send(demo, "monthly-finance"), "Diana")
    demo.as_("Diana").presses(intro.press("Start"))
    which = only(demo.says("1,200"))
    assert which.text == "Which do you mean: 1,200 or 1.2?"
    assert only(demo.presses(which.press("1,200"))).text.startswith("Question 2 of")
    assert started_drafts(demo) == [{"fees_billed": 1200}]


def test_enrollment_above_capacity_is_confirmed_before_it_is_stored(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse"), "Carmen")
    demo.as_("Carmen").presses(intro.press("Empezar"))
    demo.says("41,5")
    doubt = only(demo.says("30"))
    assert doubt.text.splitlines()[-1] == "¿Es correcto?"
    assert "41,5 FTE" in doubt.text
    assert [label for label, _payload in doubt.buttons] == ["Sí, déjalo así", "Lo corrijo"]
    assert started_drafts(demo) == [{"enrolled_fte": 41.5}]  # nothing stored yet
    again = only(demo.presses(doubt.press("Lo corrijo")))
    assert again.text.startswith("Pregunta 2 de 4")
    assert only(demo.says("45")).text.startswith("Pregunta 3 de 4")
    stale = only(demo.presses(doubt.press("Sí, déjalo así")))  # answered since: the old question's buttons are dead
    assert stale.text.startswith("Ese botón ya no está activo")
    assert started_drafts(demo) == [{"enrolled_fte": 41.5, "capacity_fte": 45}]


def test_resuming_after_unticking_every_choice_returns_to_that_required_question(demo: Dialog) -> None:
    intro = invite_of(send(demo, "needs-assessment"), "Diana")
    first = only(demo.as_("Diana").presses(intro.press("Start")))
    demo.presses(first.press("Bookkeeping"))
    demo.presses(first.press("Bookkeeping"))  # ticked off again: nothing chosen
    demo.says("/cancel")
    resumed = only(demo.presses(intro.press("Start")))
    assert resumed.text.startswith("Question 1 of 6")


def test_closing_early_tells_late_people_the_real_close_time(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse", days=7), "Diana")
    demo.clock.advance(timedelta(hours=2))  # Monday 08:05 in New York
    demo.as_("Hana").presses("scl:1")
    late = only(demo.as_("Diana").presses(intro.press("Start")))
    assert late.text == "This survey closed on Mon 30 Nov at 08:05. Thank you anyway!"


def test_a_thousands_looking_number_out_of_range_is_asked_about_not_guessed(demo: Dialog) -> None:
    intro = invite_of(send(demo, "weekly-pulse"), "Carmen")
    demo.as_("Carmen").presses(intro.press("Empezar"))
    unsure = only(demo.says("1.200"))  # FTE: a thousand two hundred is out of range; 1,2 may be meant
    assert unsure.text == "¿Quisiste decir 1,2? Púlsalo o escribe el número de nuevo."
    assert started_drafts(demo) == []
    assert only(demo.presses(unsure.press("1,2"))).text.startswith("Pregunta 2 de 4")
    assert started_drafts(demo) == [{"enrolled_fte": 1.2}]
