"""Stage 1 of rendering: a trip's answers -> the typed context the templates read (views.py).

Orders grouped, shared facts lifted to the order, sources numbered, changes grouped by
instant, the timeline chart drawn. No I/O, no Jinja.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from markupsafe import Markup

from advisories.compile.timeline import Done
from advisories.evaluation.answer import (
    AmendmentOut,
    Answer,
    Change,
    HoursOut,
    RestrictionOut,
    SiteOut,
    SourceRef,
    ThresholdOut,
)
from advisories.evaluation.differences import RulesDiff
from advisories.evaluation.trips import LegAnswer, TripAnswer
from advisories.model.documents import Organisation
from advisories.model.time import zone
from advisories.model.values import Verification
from advisories.render.chart import TimelineRow, timeline_chart
from advisories.render.diff import order_words, source_words, tally
from advisories.render.views import (
    AmendmentView,
    Briefing,
    ChangeView,
    CitedLine,
    DiffSectionView,
    ExemptionView,
    LegView,
    MatrixCell,
    MatrixView,
    OrderDiffView,
    OrderView,
    OrganisationView,
    RestrictionView,
    SituationView,
    SourceView,
    UnreportedView,
)
from advisories.render.wording import (
    N_,
    coverage_words,
    dispute_words,
    numbered_sources,
    order_wide,
    told_apart,
    unreported_words,
)
from advisories.render.words import Words

_T = TypeVar("_T")


def build_briefing(
    trip: TripAnswer,
    *,
    paper: str = "a4",
    lang: str = "en",
    organisation: Organisation | None = None,
    logo_url: str | None = None,
    generated_at: datetime | None = None,
    rules_commit: str | None = None,
    lookahead_days: int = 14,
    diff_since: tuple[str, RulesDiff] | None = None,
    after_english: bool = False,
) -> Briefing:
    """The context of a briefing for a trip; a place briefing is a trip of one leg.

    `diff_since` is the earlier rules as given (a revision or a folder) and what differs
    from them, for the "Changed since" section.
    """
    words = Words(lang, after_english=after_english)
    _ = words._
    numbers = numbered_sources(leg.answer for leg in trip.legs)
    org_guidance = organisation.guidance if organisation else {}
    described: dict[tuple[str, ...], int] = {}  # an order as shown -> the leg that showed it
    legs = [_leg(leg, numbers, org_guidance, lookahead_days, described, words) for leg in trip.legs]
    single = len(trip.legs) == 1
    first = trip.legs[0]
    if trip.trip.title:
        title = trip.trip.title
    elif single:
        # TRANSLATORS: the title of a briefing for one place (a city, a district)
        title = words.title(N_("Security briefing: %(place)s"), place=first.name)
    else:
        # TRANSLATORS: the title of a briefing for a trip of several stops
        title = _("Security briefing: trip")
    period = words.days(trip.first_day, trip.last_day)
    return Briefing(
        lang=lang,
        paper=paper,
        title=title,
        place_line=legs[0].path if single else " → ".join(leg.place for leg in legs),
        period=period,
        generated_at=None if generated_at is None else f"{generated_at:%Y-%m-%d %H:%M %Z}".strip(),
        generated_iso=None if generated_at is None else generated_at.isoformat(timespec="seconds"),
        rules_version=first.answer.rules_version,
        rules_commit=rules_commit,
        marking=(organisation.marking if organisation and organisation.marking else ""),
        organisation=None
        if organisation is None
        else OrganisationView(
            organisation.name, organisation.marking, logo_url, list(organisation.contacts)
        ),
        travellers=list(trip.trip.travellers),
        summary=None if single else _matrix(trip, words),
        trip_changes=[
            view
            for leg in trip.legs
            # TRANSLATORS: which stop of a trip a change happens at, in the trip's list of changes
            for view in _changes(
                leg.answer.changes, leg, _("Leg %(number)s", number=leg.number), words
            )
        ],
        legs=legs,
        sources=[_source(source, number, words) for source, number in numbers.items()],
        # TRANSLATORS: a caveat under the situation reports of a briefing
        caveat=_(
            "Casualty figures and claims from security services and armed groups are hard to "
            "verify independently and are often contested."
        ),
        diff_section=None if diff_since is None else diff_section(*diff_since, words),
        in_english=None if not words.shown_in_english else _in_english(words),
    )


def _in_english(words: Words) -> str:
    if words.after_english:
        # TRANSLATORS: in the title block of a briefing in two languages, when some of the
        # rules' text has no translation: it is in the English of each section
        return words._("Some of the rules' text has no translation yet: see the English above it.")
    # TRANSLATORS: in the title block, when some of the rules' text has no translation
    return words._("Some of the rules' text has no translation yet and is shown in English.")


def diff_section(since: str, diff: RulesDiff, words: Words | None = None) -> DiffSectionView:
    """The "Changed since" section: each order's differences in the words `advisory diff`
    prints, and the sources added or removed.

    Those words are English in every briefing (`advisory diff` builds them); a briefing in
    another language says so in its own.
    """
    words = words or Words("en")
    _ = words._
    if diff.as_of is None:
        # TRANSLATORS: the two versions of the rules a briefing's "Changed since" section compares
        compared = _(
            "Rules version %(old)s at %(since)s; %(new)s in this briefing.",
            old=diff.old_version,
            since=since,
            new=diff.new_version,
        )
    else:
        # TRANSLATORS: as above, both versions as they stood on one day
        compared = _(
            "Rules version %(old)s at %(since)s; %(new)s in this briefing; both as known on "
            "%(day)s.",
            old=diff.old_version,
            since=since,
            new=diff.new_version,
            day=words.day(diff.as_of),
        )
    # TRANSLATORS: after the versions compared: what the list of changes leaves out
    compared += " " + _("Changes of titles, notes or citations are not listed.")
    orders = [
        OrderDiffView(o.heading, o.order, o.about, o.bans, o.changes) for o in order_words(diff)
    ]
    in_english = None
    if words.lang != "en" and not diff.empty:
        # TRANSLATORS: the list of changes to the rules is only available in English
        in_english = _("The changes are listed in English.")
    return DiffSectionView(
        since=since,
        compared=compared,
        summary="" if diff.empty else tally(diff),
        orders=orders,
        # TRANSLATORS: a source that the newer rules cite and the older did not
        sources=[_("Added: %(source)s", source=source_words(s)) for s in diff.sources_added]
        # TRANSLATORS: a source that the older rules cited and the newer do not
        + [_("Removed: %(source)s", source=source_words(s)) for s in diff.sources_removed],
        in_english=in_english,
    )


def _leg(
    leg: LegAnswer,
    numbers: dict[SourceRef, int],
    org_guidance: dict[str, str],
    lookahead: int,
    described: dict[tuple[str, ...], int],
    words: Words,
) -> LegView:
    answer = leg.answer
    orders, repeated = _orders(leg, numbers, org_guidance, described, words)
    advice = list(
        dict.fromkeys(
            words.rules(r.advice, r.translations, "advice")
            for r in answer.restrictions
            if r.status == "in_force"
        )
    )
    end = answer.query.end
    during = set(answer.changes)
    coming = [c for c in leg.ahead.changes if c.at >= end and c not in during]
    return LegView(
        number=leg.number,
        anchor=f"leg-{leg.number}",
        place=leg.name,
        place_type=leg.region.type,
        path=" › ".join(answer.region.path),
        code=leg.region.code,
        period=words.days(leg.leg.from_, leg.leg.to),
        period_days=(leg.leg.to - leg.leg.from_).days + 1,
        timezone=answer.query.timezone,
        travellers=list(leg.leg.travellers),
        note=leg.leg.note,
        count_in_force=sum(r.status == "in_force" for r in answer.restrictions),
        count_in_part=sum(r.status == "partial" for r in answer.restrictions),
        count_stale=sum(r.stale for r in answer.restrictions),
        coverage=coverage_words(
            answer.coverage, leg.name, bool(answer.restrictions or answer.unreported), words
        ),
        coverage_status=answer.coverage.status,
        coverage_stale=answer.coverage.stale,
        advice=advice,
        orders=orders,
        unreported=[
            UnreportedView(
                title=words.rules(u.order_title, u.translations, "order_title"),
                authority=u.authority + (f", {u.legal_basis}" if u.legal_basis else ""),
                period=words.span(u.start, u.end, zone(u.timezone)),
                words=unreported_words(u, words),
                sources=[numbers[s] for s in u.sources],
                stale=u.stale,
                note=None if u.note is None else words.rules(u.note, u.translations, "note"),
            )
            for u in answer.unreported
        ],
        repeated=repeated,
        timeline=_timeline(leg, words),
        changes=_changes(answer.changes, leg, None, words),
        coming=_changes(coming, leg, None, words),
        lookahead_days=lookahead,
        situation=[
            SituationView(
                date=words.day(item.date),
                title=item.title,
                summary=words.english(item.summary),
                sources=[numbers[s] for s in item.sources],
                verification=item.verification,
            )
            for item in answer.context
        ],
    )


def _orders(
    leg: LegAnswer,
    numbers: dict[SourceRef, int],
    org_guidance: dict[str, str],
    described: dict[tuple[str, ...], int],
    words: Words,
) -> tuple[list[OrderView], list[tuple[str, int]]]:
    """The leg's orders, each with its restrictions; an order shown alike in an earlier leg is
    only named, with that leg's number (`described` remembers what each leg showed)."""
    answer = leg.answer
    by_order: dict[str, list[RestrictionView]] = {}
    for r in answer.restrictions:
        by_order.setdefault(r.order, []).append(
            _restriction(r, answer, numbers, org_guidance, words)
        )
    orders: list[OrderView] = []
    repeated: list[tuple[str, int]] = []
    for order_id, views in by_order.items():
        first = next(r for r in answer.restrictions if r.order == order_id)
        key = (order_id, *(f"{v.anchor} {v.period} {v.where}" for v in views))
        if key in described:
            title = words.rules(first.order_title, first.translations, "order_title")
            repeated.append((title, described[key]))
        else:
            described[key] = leg.number
            orders.append(_order(first, views, numbers, words))
    return orders, repeated


def _order(
    first: RestrictionOut,
    views: list[RestrictionView],
    numbers: dict[SourceRef, int],
    words: Words,
) -> OrderView:
    """The order's shared facts: what most of its restrictions have (the rest show their own)."""
    return OrderView(
        anchor=first.order,
        title=words.rules(first.order_title, first.translations, "order_title"),
        authority=first.authority,
        legal_basis=first.legal_basis,
        penalty=None
        if first.penalty is None
        else words.rules(first.penalty, first.translations, "penalty"),
        within=[_site(w, words) for w in first.within if w.order_wide],
        exemptions=[
            ExemptionView(words.rules(e.text, e.translations, "text"), e.status, e.applies)
            for e in first.exemptions
            if e.order_wide
        ],
        disputes=[
            CitedLine(dispute_words(d, words), [numbers[s] for s in d.sources])
            for d in first.disputes
            if d.order_wide
        ],
        corrections=[
            CitedLine(
                # TRANSLATORS: a correction of our own record of an order, on the day we made it
                words._(
                    "our record, %(day)s: %(summary)s",
                    day=words.day(c.recorded),
                    summary=words.rules(c.summary, c.translations, "summary"),
                ),
                [numbers[s] for s in c.sources],
            )
            for c in first.corrections
        ],
        where=_most_common([v.where for v in views]),
        period=_most_common([v.period for v in views]),
        as_written=first.as_written,
        sources=_most_common([v.sources for v in views]),
        verification=_verification(first.verification, words),
        stale=first.stale,
        review_by=_most_common([v.review_by for v in views]),
        amendments=_most_common([v.amendments for v in views]),
        note=_most_common([v.note for v in views]),
        restrictions=views,
    )


def _most_common(values: list[_T]) -> _T:
    """The value most restrictions share; the first of them on a tie."""
    counts = Counter(repr(v) for v in values)
    best = max(counts.values())
    return next(v for v in values if counts[repr(v)] == best)


def _restriction(
    r: RestrictionOut,
    answer: Answer,
    numbers: dict[SourceRef, int],
    org: dict[str, str],
    words: Words,
) -> RestrictionView:
    tz = zone(r.timezone)
    _ = words._
    matched, asked = r.matched_region.name, answer.region.name
    if r.matched_region.relation == "same":
        relation = matched
    elif r.matched_region.relation == "contains":
        # TRANSLATORS: where an order holds: a larger region that includes the place asked about
        relation = _("all of %(region)s, which includes %(place)s", region=matched, place=asked)
    else:
        # TRANSLATORS: where an order holds: only a part of the place asked about
        relation = _("%(region)s only: part of %(place)s", region=matched, place=asked)
    period = words.span(r.start, r.end, tz)
    if r.end_event is not None:
        # TRANSLATORS: after a period whose end the order ties to an event, quoted
        period += _(" (assumed; the order says “%(event)s”)", event=r.end_event)
    return RestrictionView(
        anchor=r.id.replace("/", "--"),
        label=words.rules(r.label, r.translations, "label"),
        text=words.rules(r.text, r.translations, "text"),
        in_part=r.status == "partial",
        where=relation,
        period=f"{period} ({r.timezone})",
        as_written=r.as_written,
        authority=r.authority,
        legal_basis=r.legal_basis,
        threshold=None if r.threshold is None else _threshold(r.threshold, words),
        windows=list(r.windows) if words.lang == "en" else [_hours(h, words) for h in r.hours],
        within=[_site(w, words) for w in r.within if not w.order_wide],
        exemptions=[
            ExemptionView(words.rules(e.text, e.translations, "text"), e.status, e.applies)
            for e in r.exemptions
            if not e.order_wide
        ],
        disputes=[
            CitedLine(dispute_words(d, words), [numbers[s] for s in d.sources])
            for d in r.disputes
            if not d.order_wide
        ],
        advice=words.rules(r.advice, r.translations, "advice"),
        guidance=words.rules(r.guidance, r.translations, "guidance"),
        org_guidance=org.get(r.kind),
        sources=[numbers[s] for s in r.sources],
        verification=_verification(r.verification, words),
        stale=r.stale,
        review_by=words.day(r.review_by) if r.review_by else None,
        amendments=[_amendment(a, numbers, words) for a in r.amendments if order_wide(a)],
        own_amendments=[_amendment(a, numbers, words) for a in r.amendments if not order_wide(a)],
        note=None if r.note is None else words.rules(r.note, r.translations, "note"),
    )


def _amendment(a: AmendmentOut, numbers: dict[SourceRef, int], words: Words) -> AmendmentView:
    by = ", ".join(x for x in (a.authority, a.legal_basis) if x) or None
    disputes = [
        CitedLine(dispute_words(d, words), [numbers[s] for s in d.sources]) for d in a.disputes
    ]
    note = None if a.note is None else words.rules(a.note, a.translations, "note")
    summary = _done(a.summary, a.done, words)
    return AmendmentView(summary, by, note, [numbers[s] for s in a.sources], disputes)


def _timeline(leg: LegAnswer, words: Words) -> Markup:
    answer = leg.ahead
    tz = zone(answer.query.timezone)
    # the chart's rows mix the orders: a kind held by two of them goes by each one's words
    kinds = Counter(r.label for r in answer.restrictions)
    apart = told_apart(answer.restrictions) | {
        r.id for r in answer.restrictions if kinds[r.label] > 1
    }
    rows = [
        TimelineRow(
            label=words.rules(r.text, r.translations, "text", naming=True)
            if r.id in apart
            else words.rules(r.label, r.translations, "label"),
            periods=[(p.start, p.end) for p in r.periods],
            marks=[(a.effective, _done(a.summary, a.done, words)) for a in r.amendments],
            in_part=r.status == "partial",
        )
        for r in answer.restrictions
    ]
    rows += [  # an order whose contents were not reported still holds: its own bar
        TimelineRow(
            # TRANSLATORS: a bar of the timeline chart: an order whose bans were never published
            label=words._("Contents not reported"),
            periods=[(u.start, u.end)],
            in_part=u.status == "partial",
        )
        for u in answer.unreported
    ]
    stay = (leg.answer.query.start, leg.answer.query.end)
    monitored = answer.coverage.status == "monitored"
    if monitored:
        # TRANSLATORS: the timeline chart of a monitored place with nothing in force
        empty = words._("No restrictions in this period.")
    else:
        # TRANSLATORS: the timeline chart of a place not fully watched, with nothing recorded
        empty = words._("No restriction recorded.")
    query = answer.query
    # TRANSLATORS: what the timeline chart is called to a screen reader
    title = words._("Timeline of restrictions")
    chart = timeline_chart(
        rows, query.start, query.end, stay, tz, empty, words.short_day, title=title
    )
    return Markup(chart)


def _matrix(trip: TripAnswer, words: Words) -> MatrixView:
    """Each leg against each kind of restriction, and how far the rules monitor the leg: an
    empty cell of a leg nobody monitors is "no record", never a reassuring dash."""
    shown: dict[str, str] = {}  # each label as the rules give it -> as the briefing shows it
    for leg in trip.legs:
        for r in leg.answer.restrictions:
            shown.setdefault(r.label, words.rules(r.label, r.translations, "label"))
    labels = list(shown)
    unreported = any(leg.answer.unreported for leg in trip.legs)
    _ = words._
    # TRANSLATORS: a cell of the trip summary: the restriction holds at that stop
    in_force = MatrixCell(_("in force"), "in-force")
    # TRANSLATORS: a cell of the trip summary: it holds in part of that stop, or part of the time
    in_part = MatrixCell(_("in part"), "in-part")
    # TRANSLATORS: a cell of the trip summary: nothing recorded at a stop the rules do not watch
    no_record = MatrixCell(_("no record"), "no-record")
    coverage_words = {
        # TRANSLATORS: a cell of the trip summary's last column: the rules watch that stop
        "monitored": _("monitored"),
        "partly_monitored": in_part.text,
        # TRANSLATORS: a cell of the trip summary's last column: the rules do not watch that stop
        "not_monitored": _("not monitored"),
    }
    rows = []
    for leg in trip.legs:
        coverage = leg.answer.coverage
        nothing = MatrixCell("—", "none") if coverage.status == "monitored" else no_record
        cells = []
        for label in labels:
            found = [r for r in leg.answer.restrictions if r.label == label]
            if not found:
                cells.append(nothing)
            elif any(r.status == "in_force" for r in found):
                cells.append(in_force)
            else:
                cells.append(in_part)
        if unreported:
            cells.append(in_force if leg.answer.unreported else nothing)
        # TRANSLATORS: after a cell of the trip summary: the stop's last check is out of date
        stale = _(" (stale)") if coverage.stale else ""
        state = coverage.status.replace("partly_monitored", "in-part").replace("_", "-")
        cells.append(MatrixCell(coverage_words[coverage.status] + stale, state))
        days = words.days(leg.leg.from_, leg.leg.to)
        # TRANSLATORS: a row of the trip summary: the stop's number, place and days
        row = _("%(number)s. %(place)s, %(days)s", number=leg.number, place=leg.name, days=days)
        rows.append((row, cells))
    # TRANSLATORS: a column of the trip summary: orders in force whose bans were never published
    extra = [_("Order, contents not reported")] if unreported else []
    # TRANSLATORS: the last column of the trip summary: whether the rules watch each stop
    return MatrixView([*shown.values(), *extra, _("Monitored")], rows)


def _changes(
    changes: list[Change], leg: LegAnswer, label: str | None, words: Words
) -> list[ChangeView]:
    """Changes grouped by instant, order and event, in time order."""
    tz = zone(leg.answer.query.timezone)
    titles = {
        r.order: words.rules(r.order_title, r.translations, "order_title")
        for r in leg.ahead.restrictions
    }
    labels = {r.id: words.rules(r.label, r.translations, "label") for r in leg.ahead.restrictions}
    groups: dict[tuple[datetime, str], list[str]] = {}
    for change in sorted(changes, key=lambda c: c.at):
        order = change.restriction.split("/")[0]
        title = titles.get(order, order)
        if change.event == "starts":
            # TRANSLATORS: an entry of the list of changes: an order begins
            what = words._("Starts: %(title)s", title=title)
        elif change.event == "ends":
            # TRANSLATORS: an entry of the list of changes: an order ends
            what = words._("Ends: %(title)s", title=title)
        else:
            # TRANSLATORS: an entry of the list of changes: what an amendment changed in an order
            summary = _done(change.summary, change.done, words)
            what = words._("%(title)s: %(summary)s", title=title, summary=summary)
        groups.setdefault((change.at, what), []).append(
            labels.get(change.restriction)
            or words.rules(change.label, change.translations, "label")
        )
    return [
        ChangeView(words.instant(at, tz), label, what, _counted(labels))
        for (at, what), labels in groups.items()
    ]


def _counted(labels: list[str]) -> list[str]:
    """Each label once, in order, with how many restrictions bear it when more than one: three
    restrictions of kind 'other' read as one label and a count, not the label thrice."""
    counts = Counter(labels)
    return [label if counts[label] == 1 else f"{label} ×{counts[label]}" for label in counts]


def _done(summary: str, done: Done, words: Words) -> str:
    """What an amendment did, in the briefing's language, from its parts (in English the
    same words as the answer's `summary`, which tests/test_urdu.py holds)."""
    if done.what == "other":
        return summary
    _ = words._
    tz = zone(done.tz)
    at = "" if done.at is None else words.instant(done.at, tz)
    match done.what:
        case "renewed":
            said = _renewed(at, done.until, tz, words)
            if done.lapse:
                # TRANSLATORS: after 'renewed from ... until ...': the order had lapsed between
                said += _(" after a lapse")
        case "extended":
            said = _extended(done.until, tz, words)
        case "lifted":
            # TRANSLATORS: an amendment ended an order before its time, from this instant
            said = _("lifted early from %(at)s", at=at)
        case "revoked":
            assert done.announced is not None
            # TRANSLATORS: an amendment withdrew an order as if it had never been, on this day
            said = _("revoked on %(day)s", day=words.day(done.announced))
        case "scope":
            # TRANSLATORS: an amendment moved where an order holds: region codes, then from when
            said = _("scope changed to %(where)s from %(at)s", where=done.words, at=at)
        case "added" if done.at is None:
            # TRANSLATORS: an amendment added this ban to an order
            said = _("added to the order")
        case "added":
            # TRANSLATORS: an amendment added this ban to an order, from this instant
            said = _("added to the order from %(at)s", at=at)
        case "removed":
            # TRANSLATORS: an amendment took this ban out of an order, from this instant
            said = _("removed from %(at)s", at=at)
        case _:  # changed; the differences are listed in English
            # TRANSLATORS: an amendment changed this ban from this instant; what changed
            # follows, in English
            said = _("changed from %(at)s: %(what)s", at=at, what=done.words)
    if done.announced is None:
        return said
    # TRANSLATORS: after what an amendment did: the day the government announced it
    return said + _(" (announced %(day)s)", day=words.day(done.announced))


def _renewed(start: str, until: datetime | None, tz: ZoneInfo, words: Words) -> str:
    _ = words._
    kind, end = words.until(until, tz)
    if kind == "open":
        # TRANSLATORS: an amendment put a lapsed order in force again, with no end
        return _("renewed from %(start)s until further notice", start=start)
    if kind == "day":
        # TRANSLATORS: an amendment put a lapsed order in force again, to the end of a day
        return _("renewed from %(start)s until end of %(day)s", start=start, day=end)
    # TRANSLATORS: an amendment put a lapsed order in force again, to an instant
    return _("renewed from %(start)s until %(end)s", start=start, end=end)


def _extended(until: datetime | None, tz: ZoneInfo, words: Words) -> str:
    _ = words._
    kind, end = words.until(until, tz)
    if kind == "open":
        # TRANSLATORS: an amendment made an order hold with no end
        return _("extended until further notice")
    if kind == "day":
        # TRANSLATORS: an amendment made an order hold to the end of this day
        return _("extended until end of %(day)s", day=end)
    # TRANSLATORS: an amendment made an order hold to this instant
    return _("extended until %(end)s", end=end)


def _hours(hours: HoursOut, words: Words) -> str:
    """A window in another language than English (the answer words it in English): its hours,
    the days it opens on, and where, when only in some places."""
    _ = words._
    if hours.opens is None or hours.closes is None:
        # TRANSLATORS: the hours of a ban: all day long
        span = _("whole day")
    else:
        span = f"{hours.opens:%H:%M}–{hours.closes:%H:%M}"
    if hours.dates is not None:
        days = words.join(words.day(d) for d in hours.dates)
        # TRANSLATORS: the hours of a ban on some dates only: '20:00-06:00 on 5 Jul 2025'
        when = _("%(hours)s on %(days)s", hours=span, days=days)
    elif hours.days is None:
        # TRANSLATORS: the hours of a ban that holds every day: 'daily 20:00-06:00'
        when = _("daily %(hours)s", hours=span)
    else:
        days = words.join(words.weekday(d) for d in hours.days)
        # TRANSLATORS: the hours of a ban on some weekdays: 'Fri, Sat 20:00-06:00'
        when = _("%(days)s %(hours)s", days=days, hours=span)
    if hours.places is None:
        return when
    # TRANSLATORS: the hours of a ban that holds only in the named places
    return _("%(when)s in %(places)s", when=when, places=words.join(hours.places))


def _threshold(threshold: ThresholdOut, words: Words) -> str:
    """How many people make a banned gathering: as the order counts them in English ('more
    than 4 people'), as the smallest number banned in another language."""
    if words.lang == "en":
        return threshold.as_written
    # TRANSLATORS: the threshold of a ban on gatherings: this many people or more
    return words.ngettext("%(num)s or more people", "%(num)s or more people", threshold.min_people)


def _site(site: SiteOut, words: Words) -> str:
    """Where inside its regions a restriction holds, as model/restrictions.py's Site words it
    in English: 'on the N-25 Karachi-Quetta highway', 'in public places'."""
    if words.lang == "en":
        return site.description
    name = site.name or ""
    match site.type, bool(name):
        case "roads", True:
            # TRANSLATORS: where inside a place a ban holds: on the named roads
            return words._("on %(name)s", name=name)
        case "roads", False:
            # TRANSLATORS: where inside a place a ban holds
            return words._("on roads and highways")
        case "public_places", True:
            # TRANSLATORS: where inside a place a ban holds; the name says which places
            return words._("in public places (%(name)s)", name=name)
        case "public_places", False:
            # TRANSLATORS: where inside a place a ban holds
            return words._("in public places")
        case "urban_areas", True:
            # TRANSLATORS: where inside a place a ban holds: towns and cities, not villages
            return words._("in urban areas only: %(name)s", name=name)
        case "urban_areas", False:
            # TRANSLATORS: where inside a place a ban holds: towns and cities, not villages
            return words._("in urban areas only")
        case "route", _:
            # TRANSLATORS: where inside a place a ban holds: along a named route (a procession's)
            return words._("along %(name)s", name=name)
        case "premises", _:
            # TRANSLATORS: where inside a place a ban holds: at named premises
            return words._("at %(name)s", name=name)
        case _:
            # TRANSLATORS: where inside a place a ban holds: in a named zone or area
            return words._("in %(name)s", name=name)


def _verification(verification: Verification, words: Words) -> str:
    return words._(_VERIFICATION[verification])


# How far a fact is confirmed, as the sources' legend explains each word.
_VERIFICATION: dict[Verification, str] = {
    # TRANSLATORS: a fact's verification: from an official notification
    "official": N_("official"),
    # TRANSLATORS: a fact's verification: reported by the media
    "reported": N_("reported"),
    # TRANSLATORS: a fact's verification: not confirmed
    "unverified": N_("unverified"),
}


def _source(source: SourceRef, number: int, words: Words) -> SourceView:
    published = words.day(source.published) if source.published else None
    return SourceView(number, source.publisher, source.title, published, source.url, source.file)
