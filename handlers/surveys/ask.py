"""Answering a survey in chat: intro → one question at a time (buttons or typed) → review → submit once.

State ("survey", "answer", {invite, q, review}) while a question waits for a typed answer; the answers themselves
are saved on the invite as they are given, so a person can stop and resume days later.
"""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.contract import Choice, Reply, reply
from handlers.errors import UserError
from handlers.i18n import Msg, Number, _
from handlers.registry import registry
from handlers.surveys import answers
from handlers.surveys.schema import Survey, shipped
from models.surveys import data as survey_data
from models.surveys import queries as survey_queries
from models.surveys.tables import InviteStatus, RunStatus, SurveyInvite, SurveyRun

FLOW = "survey"


def load(ctx: Ctx, invite_id: int) -> tuple[SurveyInvite, SurveyRun, Survey]:
    """The person's own invite to a survey still open; otherwise a kind explanation."""
    found = survey_queries.invite_with_run(ctx.session, invite_id=invite_id)
    if found is None or found[0].person_id != ctx.person_id:
        raise UserError(_("This survey is not for you."))
    invite_row, run = found
    if invite_row.status == InviteStatus.SUBMITTED:
        raise UserError(_("You already answered this survey — thank you!"))
    if run.status == RunStatus.CLOSED or ctx.clock.now() >= run.closes_at:
        closed = run.closes_at.astimezone(ctx.zone)
        raise UserError(
            _("This survey closed on {day} at {time}. Thank you anyway!", day=closed.date(), time=closed.time())
        )
    return invite_row, run, shipped()[run.survey_id]


@registry.command("survey", _("surveys waiting for your answer"), spanish="encuesta")
def my_surveys(ctx: Ctx, args: str) -> list[Reply]:
    """Lists the person's unanswered surveys that are still open, each with a [Start] button."""
    waiting = survey_queries.waiting_for(ctx.session, person_id=ctx.person_id, now=ctx.clock.now())
    if not waiting:
        return [reply(_("No surveys are waiting for you. Thank you!"))]
    choices = tuple(
        Choice(shipped()[run.survey_id].title.msg, f"sv:start:{invite_row.id}") for invite_row, run in waiting
    )
    return [reply(_("Surveys waiting for your answer:"), choices=choices)]


@registry.button("sv")
def start_or_later(ctx: Ctx, arg: str) -> list[Reply]:
    """[Start] asks the first unanswered question; [Later] just says when the reminder comes."""
    action, _sep, invite_id = arg.partition(":")
    invite_row, _run, survey = load(ctx, int(invite_id) if invite_id.isdigit() else 0)
    if action == "later":
        return [reply(_("OK. I'll remind you; or send /survey whenever you are ready."))]
    first = next((i for i, q in enumerate(survey.questions) if not _answered(q, invite_row.draft)), None)
    return review(ctx, invite_row, survey) if first is None else ask(ctx, invite_row, survey, first)


def ask(ctx: Ctx, invite_row: SurveyInvite, survey: Survey, index: int, *, reviewing: bool = False) -> list[Reply]:
    """Stores which question waits, and asks it with its buttons (and Back / Skip where allowed)."""
    question = survey.questions[index]
    ctx.goto(FLOW, "answer", {"invite": invite_row.id, "q": index, "review": reviewing})
    lines: list[Msg] = [_("Question {n} of {total}", n=index + 1, total=len(survey.questions)), question.text.msg]
    prefix = f"sq:{invite_row.id}:{index}"
    choices = list(_choices(question, invite_row.draft.get(question.id), prefix))
    if question.type == "number":
        lines.append(answers.range_hint(question))
    if question.type == "text":
        lines.append(_("Type your answer (short, please)."))
    if question.id in invite_row.draft and question.type not in ("multi",):
        lines.append(_("Your answer so far: {answer}", answer=answers.show(question, invite_row.draft[question.id])))
    if index > 0:
        choices.append(Choice(_("← Back"), f"{prefix}:back"))
    if not question.required:
        choices.append(Choice(_("Skip"), f"{prefix}:skip"))
    return [reply(*lines, choices=tuple(choices))]


def _choices(question: Any, current: Any, prefix: str) -> list[Choice]:
    if question.type == "rating":
        return [
            Choice(_("{n} · {label}", n=n, label=question.labels[n - 1].both), f"{prefix}:{n}") for n in range(1, 6)
        ]
    if question.type == "single":
        return [Choice(option.label.msg, f"{prefix}:{option.id}") for option in question.options]
    if question.type == "yesno":
        return [Choice(_("Yes"), f"{prefix}:yes"), Choice(_("No"), f"{prefix}:no")]
    if question.type == "multi":
        chosen = set(current or [])
        marked = [
            Choice(_("✓ {label}", label=o.label.both) if o.id in chosen else o.label.msg, f"{prefix}:t.{o.id}")
            for o in question.options
        ]
        return [*marked, Choice(_("Done"), f"{prefix}:done")]
    return []


@registry.button("sq")
def pressed(ctx: Ctx, arg: str) -> list[Reply]:
    """A button of a question: stores the answer (or toggles a choice) and moves on."""
    invite_part, index_part, value = ([*arg.split(":", 2), "", ""])[:3]
    invite_row, _run, survey = load(ctx, int(invite_part) if invite_part.isdigit() else 0)
    index = int(index_part) if index_part.isdigit() and int(index_part) < len(survey.questions) else 0
    question = survey.questions[index]
    reviewing = _reviewing(ctx)
    if value == "back":
        return ask(ctx, invite_row, survey, max(0, index - 1))
    if value == "fix":
        return ask(ctx, invite_row, survey, index, reviewing=reviewing)
    if question.type == "number" and value[:2] in ("n=", "k="):  # a reading chosen, or an unlikely number kept
        if not _waiting_at(ctx, invite_row, index):
            raise UserError(_("That button is no longer active. Send /survey to continue."))
        number = answers.read_typed(question, value[2:], "en")
        return _store_number_or_confirm(ctx, invite_row, survey, index, number, check=value.startswith("n="))
    if value == "skip":
        if question.required:
            raise UserError(_("This question needs an answer."))
        survey_data.save_answer(ctx.session, invite_id=invite_row.id or 0, question_id=question.id, value=None)
        return after(ctx, invite_row, survey, index, reviewing)
    if question.type == "multi":
        chosen = list(invite_row.draft.get(question.id, []))
        if value == "done":
            if question.required and not chosen:
                raise UserError(_("Choose at least one, then press Done."))
            return after(ctx, invite_row, survey, index, reviewing)
        option = value.removeprefix("t.")
        chosen = [c for c in chosen if c != option] if option in chosen else [*chosen, option]
        survey_data.save_answer(ctx.session, invite_id=invite_row.id or 0, question_id=question.id, value=chosen)
        return ask(ctx, invite_row, survey, index, reviewing=reviewing)
    stored = _button_value(question, value)
    if stored is None:
        raise UserError(_("Please choose with the buttons."))
    survey_data.save_answer(ctx.session, invite_id=invite_row.id or 0, question_id=question.id, value=stored)
    return after(ctx, invite_row, survey, index, reviewing)


@registry.step(FLOW, "answer", aside=_("Your survey answers so far are kept: send /survey to go on."))
def typed(ctx: Ctx, text: str) -> list[Reply]:
    """A typed answer to the waiting question: checked (a number against its range, and against the other answers),
    stored, next. A number that reads two ways is asked about; an unlikely one is confirmed before it is stored."""
    data = ctx.state().data  # type: ignore[union-attr]
    invite_row, _run, survey = load(ctx, int(data["invite"]))
    index = int(data["q"])
    question = survey.questions[index]
    try:
        value = answers.read_typed(question, text, ctx.lang)
    except answers.NeedsChoice as unsure:
        choices = tuple(
            Choice(_("{value}", value=Number(v, digits=3)), f"sq:{invite_row.id}:{index}:n={v}")
            for v in unsure.readings
        )
        if len(unsure.readings) == 2:
            first, second = (Number(v, digits=3) for v in unsure.readings)
            return [reply(_("Which do you mean: {first} or {second}?", first=first, second=second), choices=choices)]
        only_one = Number(unsure.readings[0], digits=3)
        return [reply(_("Did you mean {value}? Press it, or type the number again.", value=only_one), choices=choices)]
    return _store_number_or_confirm(ctx, invite_row, survey, index, value, check=question.type == "number")


def _store_number_or_confirm(
    ctx: Ctx, invite_row: SurveyInvite, survey: Survey, index: int, value: Any, *, check: bool
) -> list[Reply]:
    """Stores the answer and moves on — unless `check` finds it unlikely: then [Yes, keep it] / [Let me fix it]."""
    question = survey.questions[index]
    doubt = answers.implausible(survey, question, value, invite_row.draft) if check else None
    if doubt is not None:
        choices = (
            Choice(_("Yes, keep it"), f"sq:{invite_row.id}:{index}:k={value}"),
            Choice(_("Let me fix it"), f"sq:{invite_row.id}:{index}:fix"),
        )
        return [reply(doubt, _("Is that right?"), choices=choices)]
    survey_data.save_answer(ctx.session, invite_id=invite_row.id or 0, question_id=question.id, value=value)
    return after(ctx, invite_row, survey, index, _reviewing(ctx))


def after(ctx: Ctx, invite_row: SurveyInvite, survey: Survey, index: int, reviewing: bool) -> list[Reply]:
    """The next question, or the review screen after the last one (or after a change)."""
    if reviewing or index + 1 >= len(survey.questions):
        return review(ctx, invite_row, survey)
    return ask(ctx, invite_row, survey, index + 1)


def review(ctx: Ctx, invite_row: SurveyInvite, survey: Survey) -> list[Reply]:
    """Every answer, with [Submit] and [Change]."""
    ctx.goto(FLOW, "review", {"invite": invite_row.id})
    lines: list[Msg] = [_("Please check your answers:")]
    for n, question in enumerate(survey.questions, start=1):
        answer = answers.show(question, invite_row.draft.get(question.id))
        lines.append(_("{n}. {question} — {answer}", n=n, question=question.text.both, answer=answer))
    choices = (Choice(_("Submit"), f"sr:{invite_row.id}:submit"), Choice(_("Change"), f"sr:{invite_row.id}:change"))
    return [reply(*lines, choices=choices)]


@registry.button("sr")
def on_review(ctx: Ctx, arg: str) -> list[Reply]:
    """[Submit] stores the response once; [Change] lists the questions; a number re-asks that one."""
    invite_part, _sep, action = arg.partition(":")
    invite_row, run, survey = load(ctx, int(invite_part) if invite_part.isdigit() else 0)
    if action == "submit":
        return submit(ctx, invite_row, run, survey)
    if action.startswith("q.") and action[2:].isdigit() and int(action[2:]) < len(survey.questions):
        return ask(ctx, invite_row, survey, int(action[2:]), reviewing=True)
    choices = tuple(Choice(_("{n}", n=n + 1), f"sr:{invite_row.id}:q.{n}") for n in range(len(survey.questions)))
    return [reply(_("Which answer would you like to change?"), choices=choices)]


def submit(ctx: Ctx, invite_row: SurveyInvite, run: SurveyRun, survey: Survey) -> list[Reply]:
    """Once only: the response (without the person if anonymous), its metric values, and thanks."""
    missing = [i for i, q in enumerate(survey.questions) if q.required and q.id not in invite_row.draft]
    if missing:
        return [reply(_("One more answer is needed first.")), *ask(ctx, invite_row, survey, missing[0], reviewing=True)]
    now = ctx.clock.now()
    if not survey_data.submit(ctx.session, invite_id=invite_row.id or 0, at=now):
        raise UserError(_("You already answered this survey — thank you!"))
    ctx.end_flow()
    if invite_row.preview:
        survey_data.clear_draft(ctx.session, invite_id=invite_row.id or 0)
        return [reply(_("Preview finished. Nothing was stored or counted."))]
    survey_data.store_response(ctx.session, run=run, person=ctx.me, answers=invite_row.draft, at=now)
    if not run.anonymous and ctx.me.site_id is not None:
        values = {
            q.metric: number
            for q in survey.questions
            if q.metric and (number := answers.numeric(q, invite_row.draft.get(q.id))) is not None
        }
        survey_data.record_metrics(
            ctx.session, site_id=ctx.me.site_id, period=run.period, values=values, run_id=run.id or 0, at=now
        )
    survey_data.clear_draft(ctx.session, invite_id=invite_row.id or 0)
    return [reply(_("Thank you! Your answers are in."))]


def _button_value(question: Any, value: str) -> bool | int | str | None:
    """What a button of a rating, single-choice or yes/no question stores; None for a stale or forged one."""
    if question.type == "yesno":
        return {"yes": True, "no": False}.get(value)
    if question.type == "rating":
        return int(value) if value.isdigit() and 1 <= int(value) <= 5 else None
    return value if value in {o.id for o in question.options} else None


def _answered(question: Any, draft: dict[str, Any]) -> bool:
    """Given an answer: skipped counts for an optional question; a required one needs a value (ticking every
    choice off again leaves it unanswered)."""
    if question.id not in draft:
        return False
    return not question.required or draft[question.id] not in (None, [])


def _waiting_at(ctx: Ctx, invite_row: SurveyInvite, index: int) -> bool:
    """True while this question still waits for its answer (its "which one?" and "keep it?" buttons live)."""
    state = ctx.state()
    return bool(
        state is not None
        and (state.flow, state.step) == (FLOW, "answer")
        and state.data.get("invite") == invite_row.id
        and state.data.get("q") == index
    )


def _reviewing(ctx: Ctx) -> bool:
    state = ctx.state()
    return bool(state is not None and state.flow == FLOW and state.data.get("review"))
