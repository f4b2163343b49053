"""The digest as lines of text: headline numbers, change since last week, what is below target, where to look."""

from __future__ import annotations

import math
from datetime import timedelta

from handlers.cover.describe import reason_label
from handlers.i18n import Joined, Money, Msg, Number, Percent, _, n_, verbatim
from scheduler.digest.build import FILL_TARGET, Digest, SiteWeek
from scheduler.metrics.triangle import BAD_DEBT_TARGET, ENROLLMENT_BUDGET


def lines(digest: Digest) -> list[Msg]:
    week, ops, before = digest.week, digest.alliance, digest.previous
    start = week.start.astimezone(week.zone).date()
    out: list[Msg] = [
        _(
            "Alliance digest — week {week} ({start} – {end})",
            week=week.label,
            start=start,
            end=start + timedelta(days=6),
        )
    ]
    if ops.requests == 0:
        out.append(_("No cover was requested this week."))
    else:
        out.append(
            _(
                "Cover: {rate} of shifts filled ({change} vs last week; target {target}); {requests} requested.",
                rate=pct(ops.fill_rate),
                change=points(ops.fill_rate, before.fill_rate),
                target=pct(FILL_TARGET),
                requests=ops.requests,
            )
        )
        reasons = Joined(
            tuple(
                _("{reason} {count}", reason=reason_label(reason), count=n) for reason, n in ops.by_reason.items() if n
            )
        )
        out.append(
            _("By reason: {reasons}. Unfilled when they began: {count}.", reasons=reasons, count=ops.unfilled_at_start)
        )
        out.append(
            _(
                "Median time to fill {fill} (before 7 am: {early}); median notice {lead}; asked the same day: {same}.",
                fill=minutes(ops.median_time_to_fill_min),
                early=minutes(ops.median_time_to_fill_early_min),
                lead=hours(ops.median_lead_time_h),
                same=pct(ops.same_day_share),
            )
        )
        out.append(
            _(
                "Protected time covered: {hours} h of planning, reflection and training ({change} h vs last week).",
                hours=Number(ops.protected_hours),
                change=Number(ops.protected_hours - before.protected_hours, signed=True),
            )
        )
    if digest.protected_by_teacher:
        teachers = Joined(
            tuple(_("{name} {hours} h", name=name, hours=Number(h)) for name, h in digest.protected_by_teacher)
        )
        out.append(_("Most protected time: {teachers}.", teachers=teachers))
    total = len(digest.sites)
    if digest.pulse_answered:
        out.append(
            _(
                "Enrollment: {pct} of staffed capacity ({change} vs last week), {vacancies} open places; "
                "budget 85%, well run 95%.",
                pct=pct(digest.enrollment.enrollment_pct),
                change=points(digest.enrollment.enrollment_pct, digest.previous_enrollment.enrollment_pct),
                vacancies=Number(digest.enrollment.vacancies),
            )
        )
        if digest.pulse_answered < total:
            out.append(
                n_(
                    "Partial data: {answered} of {count} site answered the pulse.",
                    "Partial data: {answered} of {count} sites answered the pulse.",
                    total,
                    answered=digest.pulse_answered,
                )
            )
    else:
        out.append(_("No site answered the weekly pulse, so there are no enrollment figures this week."))
    if digest.finance is not None:
        money = digest.finance
        out.append(
            _(
                "Last month: fees collected {collected}, bad debt {bad_debt} over three months (target under 3%); "
                "cost {cost} and revenue {revenue} per child; break-even {break_even} FTE.",
                collected=pct(money.collection_pct),
                bad_debt=pct(money.bad_debt_pct),
                cost=dollars(money.cost_per_child),
                revenue=dollars(money.revenue_per_child),
                break_even=Number(money.break_even_fte),
            )
        )
    out += _supervision(digest)
    answered, asked = digest.pulse_answers
    if asked:
        out.append(
            n_(
                "Weekly pulse: {answered} of {count} director answered.",
                "Weekly pulse: {answered} of {count} directors answered.",
                asked,
                answered=answered,
            )
        )
    if not math.isnan(digest.credentials_current):
        out.append(
            _(
                "Floaters with background check and CPR current: {pct} (must be 100%).",
                pct=pct(digest.credentials_current),
            )
        )
    below = _below_target(digest)
    out.append(
        _("Below target: {items}.", items=Joined(tuple(below), "; ")) if below else _("Everything is on target.")
    )
    attention = digest.needing_attention()
    if attention:
        out.append(_("Sites that most need attention:"))
        out += [_site_line(n, site) for n, site in enumerate(attention, start=1)]
    return out


def _supervision(digest: Digest) -> list[Msg]:
    """Sessions booked, held and not held for lack of cover (a figure no other source measures), hours by site."""
    rs = digest.supervision
    if not rs.booked:
        return [_("Reflective supervision: no bookings this week.")]
    out = [
        n_(
            "Reflective supervision: {count} session booked, {held} held, {not_held} not held for lack of cover "
            "({covered} of those due were covered).",
            "Reflective supervision: {count} sessions booked, {held} held, {not_held} not held for lack of cover "
            "({covered} of those due were covered).",
            rs.booked,
            held=rs.held,
            not_held=rs.not_held,
            covered=pct(rs.covered_share),
        )
    ]
    if rs.hours_by_site:
        sites = Joined(
            tuple(_("{name} {hours} h", name=site, hours=Number(h)) for site, h in sorted(rs.hours_by_site.items()))
        )
        out.append(_("Reflective supervision held by site: {sites}.", sites=sites))
    behind = sum(digest.behind_pace.values())
    if behind:
        out.append(
            _(
                "Teachers behind the yearly pace of {target} h: {count}.",
                target=Number(digest.rs_target_hours),
                count=behind,
            )
        )
    return out


def _below_target(digest: Digest) -> list[Msg]:
    items: list[Msg] = []
    if not math.isnan(digest.alliance.fill_rate) and digest.alliance.fill_rate < FILL_TARGET:
        items.append(_("fill rate {value} < {target}", value=pct(digest.alliance.fill_rate), target=pct(FILL_TARGET)))
    if digest.finance is not None and digest.finance.bad_debt_pct > BAD_DEBT_TARGET:
        items.append(
            _("bad debt {value} > {target}", value=pct(digest.finance.bad_debt_pct), target=pct(BAD_DEBT_TARGET))
        )
    if not math.isnan(digest.credentials_current) and digest.credentials_current < 1:
        items.append(_("credentials current {value} < {target}", value=pct(digest.credentials_current), target=pct(1)))
    for site in digest.sites:
        if site.enrollment.answered and site.enrollment.enrollment_pct < ENROLLMENT_BUDGET:
            items.append(
                _(
                    "{site} enrollment {value} < {target}",
                    site=site.site,
                    value=pct(site.enrollment.enrollment_pct),
                    target=pct(ENROLLMENT_BUDGET),
                )
            )
    return items


def _site_line(number: int, site: SiteWeek) -> Msg:
    return _(
        "{n}. {site}: {unfilled} unfilled at start, fill {fill}, enrollment {enrollment}",
        n=number,
        site=site.site,
        unfilled=site.ops.unfilled_at_start,
        fill=pct(site.ops.fill_rate),
        enrollment=pct(site.enrollment.enrollment_pct),
    )


def pct(value: float) -> Percent:
    return Percent(value)


def points(value: float, before: float) -> Msg:
    """The change in percentage points, or a dash when either week has nothing to compare."""
    if math.isnan(value) or math.isnan(before):
        return verbatim("—")
    change = round((value - before) * 100)
    if change == 0:
        return _("±0 pts")
    return _("▲ {points} pts", points=change) if change > 0 else _("▼ {points} pts", points=-change)


def dollars(value: float) -> Money:
    return Money(value)


def minutes(value: float) -> Msg:
    return verbatim("—") if math.isnan(value) else _("{minutes} min", minutes=Number(value, digits=0))


def hours(value: float) -> Msg:
    return verbatim("—") if math.isnan(value) else _("{hours} h", hours=Number(value))
