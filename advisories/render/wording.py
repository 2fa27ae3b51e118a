"""What the terminal text and the HTML briefing say alike.

How much the rules monitor a place (never "nothing in force" where nothing is monitored),
sources numbered in one order, and two restrictions of one kind in one order told apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from advisories.evaluation.answer import (
    AmendmentOut,
    Answer,
    CoverageOut,
    DisputeOut,
    RestrictionOut,
    SourceRef,
    UnreportedOut,
)
from advisories.model.time import format_day, format_until


def numbered_sources(answers: Iterable[Answer]) -> dict[SourceRef, int]:
    """Every source the answers cite, numbered 1, 2, ... in order of first citation: the
    restrictions', then their amendments', corrections' and other accounts', then the
    context's."""
    numbers: dict[SourceRef, int] = {}
    for answer in answers:
        cited = [s for r in answer.restrictions for s in r.sources]
        cited += [s for u in answer.unreported for s in u.sources]
        cited += [s for r in answer.restrictions for a in r.amendments for s in a.sources]
        cited += [
            s
            for r in answer.restrictions
            for a in r.amendments
            for d in a.disputes
            for s in d.sources
        ]
        cited += [s for r in answer.restrictions for c in r.corrections for s in c.sources]
        cited += [s for r in answer.restrictions for d in r.disputes for s in d.sources]
        cited += [s for item in answer.context for s in item.sources]
        for source in cited:
            numbers.setdefault(source, len(numbers) + 1)
    return numbers


def told_apart(restrictions: Sequence[RestrictionOut]) -> set[str]:
    """The ids of restrictions whose order holds another of their kind.

    Those go by their own words, not the kind's label (two gatherings bans: processions, and
    sit-ins).
    """
    per_order = Counter((r.order, r.label) for r in restrictions)
    return {r.id for r in restrictions if per_order[r.order, r.label] > 1}


def coverage_words(coverage: CoverageOut, place: str, found: bool, lang: str = "en") -> str:
    """What the rules' coverage means for an answer about `place` that `found` restrictions
    or none: said first, so that no one reads an unmonitored place as clear.

    In `lang` (a briefing's language); a partly monitored place is still worded in English.
    """
    if lang != "en" and coverage.status == "partly_monitored":
        return coverage_words(coverage, place, found)  # its lists are not translated yet
    _: Callable[..., str]
    day: Callable[[date], str]
    if lang == "en":
        _, day = _as_written, format_day
    else:  # Babel loads only for a briefing in another language, not for `advisory check`
        from functools import partial

        from advisories.render.language import format_day_in, translate

        _, day = partial(translate, lang), partial(format_day_in, lang=lang)  # gettext's name
    began = coverage.checked_from
    if coverage.status == "not_monitored":
        if began is None:
            if found:
                # TRANSLATORS: coverage: the rules do not cover the place, so clear is not safe
                return _(
                    "%(place)s is not monitored by these rules: others may be in force.",
                    place=place,
                )
            # TRANSLATORS: coverage: nothing recorded, and the place is not covered at all
            return _(
                "No restriction recorded. %(place)s is not monitored by these rules: absence of "
                "rules means nothing here.",
                place=place,
            )
        if found:
            # TRANSLATORS: coverage: the rules cover the place only from the day its check began
            return _(
                "%(place)s is not monitored by these rules before %(day)s, when its check began: "
                "others may be in force.",
                place=place,
                day=day(began),
            )
        # TRANSLATORS: coverage: nothing recorded, and the place is covered only from that day
        return _(
            "No restriction recorded. %(place)s is not monitored by these rules before %(day)s, "
            "when its check began: absence of rules means nothing here.",
            place=place,
            day=day(began),
        )
    assert coverage.checked_as_of is not None  # every coverage entry says when it was checked
    last = day(coverage.checked_as_of)
    # TRANSLATORS: after a coverage sentence: the last check of the place is itself out of date
    stale = (
        _(" The check of %(last)s is past its review (STALE): check for news.", last=last)
        if coverage.stale
        else ""
    )
    if coverage.status == "partly_monitored":
        checked = last if began is None else f"from {format_day(began)} to {last}"
        what = f"monitored: {', '.join(coverage.regions)}"
        if began is not None:
            what += f"; days from {format_day(began)}"
        if coverage.kinds is not None:
            what += f"; kinds: {', '.join(coverage.kinds)}"
        lead = "" if found else "No restriction recorded. "
        return (
            f"{lead}{place} is only partly monitored by these rules ({what}; checked "
            f"{checked}): others may be in force.{stale}"
        )
    if began is None:
        if found:
            # TRANSLATORS: coverage: the place is watched by the rules; the day of the last check
            return _("Monitored; checked %(last)s.", last=last) + stale
        # TRANSLATORS: coverage: nothing in force, and the place is watched (so that means clear)
        return _("No restriction in force (monitored; checked %(last)s).", last=last) + stale
    first = day(began)
    if found:
        # TRANSLATORS: coverage: the place is watched by the rules over these days
        return _("Monitored; checked from %(first)s to %(last)s.", first=first, last=last) + stale
    # TRANSLATORS: coverage: nothing in force, and the place is watched over these days
    return (
        _(
            "No restriction in force (monitored; checked from %(first)s to %(last)s).",
            first=first,
            last=last,
        )
        + stale
    )


def _as_written(message: str, **values: object) -> str:
    return message % values


def until_words(restriction: RestrictionOut, tz: ZoneInfo) -> str:
    """When a restriction's run ends, as people read it; an end that the order ties to an
    event is marked as assumed, with the order's own words."""
    until = format_until(restriction.end, tz)
    if restriction.end_event is None:
        return until
    return f"{until} (assumed; the order says “{restriction.end_event}”)"


def dispute_words(dispute: DisputeOut) -> str:
    """'Sources disagree on when it ends: until further notice' (the rule states the other)."""
    return f"Sources disagree on {_DISPUTED[dispute.about]}: {dispute.claim}"


_DISPUTED = {
    "start": "when it starts",
    "end": "when it ends",
    "hours": "the hours",
    "threshold": "the threshold",
    "regions": "where it applies",
    "restrictions": "what the order bans",
    "exemptions": "the exemptions",
    "other": "a fact",
}


def order_wide(amendment: AmendmentOut) -> bool:
    """Whether an amendment changed the whole order (extended, lifted, revoked it, or moved
    its scope), not one restriction of it: those are shown once, with the order."""
    return amendment.action not in _RESTRICTION_ACTIONS


_RESTRICTION_ACTIONS = frozenset(("add_restriction", "remove_restriction", "modify_restriction"))


def unreported_words(order: UnreportedOut) -> str:
    """What an answer says of an order whose contents were not (all) reported."""
    if order.contents == "not_reported":
        return "an order is in force whose contents were not reported: check locally"
    return "not all of this order's contents were reported: check locally for more"
