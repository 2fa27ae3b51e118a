"""What the terminal text and the HTML briefing say alike.

How much the rules monitor a place (never "nothing in force" where nothing is monitored),
sources numbered in one order, and two restrictions of one kind in one order told apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
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

if TYPE_CHECKING:  # Babel loads for briefings in other languages, not for `advisory check`
    from advisories.render.words import Words


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


def coverage_words(
    coverage: CoverageOut, place: str, found: bool, words: Words | None = None
) -> str:
    """What the rules' coverage means for an answer about `place` that `found` restrictions
    or none: said first, so that no one reads an unmonitored place as clear.

    In the language of `words` (a briefing's); English without (`advisory check` and the
    exports, which load no catalogue).
    """
    _ = words._ if words else _as_written
    day = words.day if words else format_day
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
        return _partly_monitored(coverage, place, found, words) + stale
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


def _partly_monitored(coverage: CoverageOut, place: str, found: bool, words: Words | None) -> str:
    """What a place monitored only for some of its parts, days or kinds may still hide."""
    _ = words._ if words else _as_written
    day = words.day if words else format_day
    began = coverage.checked_from
    assert coverage.checked_as_of is not None
    last = day(coverage.checked_as_of)
    # TRANSLATORS: inside a coverage sentence: the regions whose orders the rules record
    what = _("monitored: %(regions)s", regions=", ".join(coverage.regions))
    if began is not None:
        # TRANSLATORS: continues the list of what is monitored: only days from this one on
        what += _("; days from %(day)s", day=day(began))
    if coverage.kinds is not None:
        # TRANSLATORS: continues the list of what is monitored: only these kinds of restriction
        what += _("; kinds: %(kinds)s", kinds=", ".join(coverage.kinds))
    # TRANSLATORS: inside a coverage sentence: the days over which the place was checked
    checked = (
        last if began is None else _("from %(first)s to %(last)s", first=day(began), last=last)
    )
    # TRANSLATORS: coverage: only some parts, days or kinds of the place are watched
    said = _(
        "%(place)s is only partly monitored by these rules (%(what)s; checked %(checked)s): "
        "others may be in force.",
        place=place,
        what=what,
        checked=checked,
    )
    if found:
        return said
    # TRANSLATORS: coverage: the start of a sentence saying nothing is recorded (more follows)
    nothing = _("No restriction recorded.")
    return f"{nothing} {said}"


def _as_written(message: str, **values: object) -> str:
    return message % values


def until_words(restriction: RestrictionOut, tz: ZoneInfo) -> str:
    """When a restriction's run ends, as people read it; an end that the order ties to an
    event is marked as assumed, with the order's own words."""
    until = format_until(restriction.end, tz)
    if restriction.end_event is None:
        return until
    return f"{until} (assumed; the order says “{restriction.end_event}”)"


def dispute_words(dispute: DisputeOut, words: Words | None = None) -> str:
    """'Sources disagree on when it ends: until further notice' (the rule states the other)."""
    _ = words._ if words else _as_written
    return _(_DISPUTED[dispute.about], claim=dispute.claim)


def N_(message: str) -> str:
    """Marks `message` for the catalogue; it is translated where it is used."""
    return message


# What sources disagree on; the claim after the colon is another source's account.
_DISPUTED = {
    # TRANSLATORS: sources disagree on the day or time an order starts; their claim follows
    "start": N_("Sources disagree on when it starts: %(claim)s"),
    # TRANSLATORS: sources disagree on the day or time an order ends; their claim follows
    "end": N_("Sources disagree on when it ends: %(claim)s"),
    # TRANSLATORS: sources disagree on the hours a ban holds each day; their claim follows
    "hours": N_("Sources disagree on the hours: %(claim)s"),
    # TRANSLATORS: sources disagree on how many people make a banned gathering; claim follows
    "threshold": N_("Sources disagree on the threshold: %(claim)s"),
    # TRANSLATORS: sources disagree on the places an order covers; their claim follows
    "regions": N_("Sources disagree on where it applies: %(claim)s"),
    # TRANSLATORS: sources disagree on which bans an order contains; their claim follows
    "restrictions": N_("Sources disagree on what the order bans: %(claim)s"),
    # TRANSLATORS: sources disagree on who or what is exempt; their claim follows
    "exemptions": N_("Sources disagree on the exemptions: %(claim)s"),
    # TRANSLATORS: sources disagree on another fact of the order; their claim follows
    "other": N_("Sources disagree on a fact: %(claim)s"),
}


def order_wide(amendment: AmendmentOut) -> bool:
    """Whether an amendment changed the whole order (extended, lifted, revoked it, or moved
    its scope), not one restriction of it: those are shown once, with the order."""
    return amendment.action not in _RESTRICTION_ACTIONS


_RESTRICTION_ACTIONS = frozenset(("add_restriction", "remove_restriction", "modify_restriction"))


def unreported_words(order: UnreportedOut, words: Words | None = None) -> str:
    """What an answer says of an order whose contents were not (all) reported."""
    _ = words._ if words else _as_written
    if order.contents == "not_reported":
        # TRANSLATORS: an order is known to hold, but what it bans was never published
        return _("an order is in force whose contents were not reported: check locally")
    # TRANSLATORS: some of what an order bans was never published
    return _("not all of this order's contents were reported: check locally for more")
