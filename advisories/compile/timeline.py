"""Apply an order's amendments, in order of effect, to get when and where each restriction holds.

The result for each restriction is a list of periods, half-open [start, end) with an end of None
meaning until further notice, each with the regions it covers, plus the history of amendments
that shaped it. Pure: orders and amendments in, `RestrictionTimeline`s out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from typing import Literal, TypeVar

from advisories.model.restrictions import Restriction
from advisories.model.rules import Amendment, Correction, EndSpec, Order
from advisories.model.time import (
    day_after,
    ends_by,
    format_day,
    format_instant,
    format_until,
    midnight,
    parse_duration,
)
from advisories.model.translations import rewritten


@dataclass(frozen=True)
class Period:
    """A stretch of time in which a restriction applies to one scope.

    `opened` is when the unbroken run this period belongs to began (scope changes split a run
    into periods): a daily window that opened on an earlier local day does not count.
    """

    start: datetime
    end: datetime | None
    regions: tuple[str, ...]
    exclude_regions: tuple[str, ...]
    opened: datetime
    version: int = 0  # which of the timeline's versions holds: modifications split periods


@dataclass(frozen=True)
class Done:
    """What an amendment did, in parts, so that a briefing can say it in any language; the
    English sentence (`AppliedAmendment.summary`) is made from the same parts."""

    what: Literal[
        "renewed", "extended", "lifted", "revoked", "scope", "added", "removed", "changed", "other"
    ]
    at: datetime | None = None  # from when (renewed, lifted, scope, added, removed, changed)
    until: datetime | None = None  # the new end (renewed, extended); None: further notice
    lapse: bool = False  # renewed after the order had lapsed
    words: str = ""  # scope: the regions as written; changed: the differences; other: action
    tz: str = "UTC"  # the order's: the parts' times are said in it
    announced: date | None = None  # said after the rest, when the sentence says it


@dataclass(frozen=True)
class AppliedAmendment:
    """An amendment with the instant it took effect and a sentence saying what it did."""

    amendment: Amendment
    effective: datetime
    summary: str
    done: Done = Done("other")


@dataclass(frozen=True)
class Version:
    """A restriction as a `modify_restriction` amendment left it, from `since`."""

    restriction: Restriction
    since: datetime
    modified_by: Amendment


@dataclass(frozen=True)
class RestrictionTimeline:
    """Everything known about when and where one restriction of one order holds."""

    order: Order
    restriction: Restriction
    periods: tuple[Period, ...]
    history: tuple[AppliedAmendment, ...]
    added_by: Amendment | None = None  # the add_restriction amendment, whose sources it cites
    revoked: AppliedAmendment | None = None
    assumed_end: datetime | None = None  # where an end the order ties to an event is assumed
    corrections: tuple[Correction, ...] = ()  # fixes of our record of the order
    # When and where the order holds, for what its reports did not say: no restriction, and
    # answers list it apart ("an order is in force; its contents were not reported").
    unreported: bool = False
    # The restriction as later modified, in order; a period's `version` counts them (0: as
    # first written, `restriction`; 1: `versions[0]`, ...).
    versions: tuple[Version, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.order.id}/{self.restriction.id}"

    def version(self, number: int) -> Restriction:
        """The restriction as it reads in periods of that version."""
        return self.versions[number - 1].restriction if number else self.restriction


_T = TypeVar("_T")


@cache
def unreported_contents() -> Restriction:
    """Stands for what an order's reports left out, so that the order's periods are compiled
    and indexed like its restrictions'; it is never answered as a restriction. Made on first
    need: building a model's validator at import would slow every `advisory check`."""
    return Restriction.model_construct(
        id="contents-not-reported", kind="other", text="Contents not reported"
    )


class _Unapplicable(Exception):
    """An amendment that contradicts the state of its order; becomes a Problem."""


@dataclass
class _Membership:
    restriction: Restriction
    since: datetime | None = None
    until: datetime | None = None
    history: list[AppliedAmendment] = field(default_factory=list)
    added_by: Amendment | None = None
    versions: list[Version] = field(default_factory=list)

    @property
    def latest(self) -> Restriction:
        return self.versions[-1].restriction if self.versions else self.restriction


@dataclass
class _OrderState:
    order: Order
    intervals: list[tuple[datetime, datetime | None]]
    members: dict[str, _Membership]
    scopes: list[tuple[datetime | None, tuple[str, ...], tuple[str, ...]]]
    shared_history: list[AppliedAmendment] = field(default_factory=list)
    revoked: AppliedAmendment | None = None
    assumed_end: datetime | None = None
    corrections: tuple[Correction, ...] = ()


def amendments_by_order(amendments: Iterable[Amendment]) -> dict[str, list[Amendment]]:
    """The amendments of each order (by its id), in the order they were written."""
    found: dict[str, list[Amendment]] = {}
    for amendment in amendments:
        found.setdefault(amendment.order, []).append(amendment)
    return found


def compile_orders(
    orders: Iterable[Order], amendments: Iterable[Amendment], corrections: Iterable[Correction]
) -> tuple[list[RestrictionTimeline], list[tuple[Amendment, str]]]:
    """The timelines of every order with its amendments and corrections (in the order
    recorded), and the amendments that don't fit, each with why."""
    by_order = amendments_by_order(amendments)
    corrected: dict[str, list[Correction]] = {}
    for correction in corrections:
        corrected.setdefault(correction.order, []).append(correction)
    timelines: list[RestrictionTimeline] = []
    unfit: list[tuple[Amendment, str]] = []
    for order in orders:
        fixes = tuple(sorted(corrected.get(order.id, []), key=lambda c: (c.recorded, c.id)))
        compiled, misfits = compile_order(order, by_order.get(order.id, []), fixes)
        timelines += compiled
        unfit += misfits
    return timelines, unfit


def compile_order(
    order: Order, amendments: Sequence[Amendment], corrections: tuple[Correction, ...] = ()
) -> tuple[list[RestrictionTimeline], list[tuple[Amendment, str]]]:
    """The timelines of an order's restrictions after its amendments, and the amendments that
    don't fit, each with why."""
    start, end = validity_span(order)
    validity = order.validity
    members = {r.id: _Membership(r) for r in order.restrictions}
    if order.contents != "reported":
        placeholder = unreported_contents()
        members[placeholder.id] = _Membership(placeholder)
    state = _OrderState(
        order=order,
        intervals=[(start, end)],
        members=members,
        scopes=[(None, tuple(order.regions), tuple(order.exclude_regions))],
        assumed_end=end if validity.until_event is not None else None,
        corrections=corrections,
    )
    unfit: list[tuple[Amendment, str]] = []
    for amendment in sorted(amendments, key=lambda a: _effect_key(a, order)):
        try:
            _apply(state, amendment)
        except _Unapplicable as why:
            unfit.append((amendment, str(why)))
    # Restrictions the amendments neither added nor removed share one tuple of periods.
    # Keyed by offset too: 00:00+05:00 equals 19:00+00:00, but each is shown as written.
    periods: dict[tuple[object, ...], tuple[Period, ...]] = {}
    timelines = []
    for member in state.members.values():
        since, until = member.since, member.until
        bounds = (since, until, since and since.tzinfo, until and until.tzinfo)
        if bounds not in periods:
            periods[bounds] = _periods(state, since, until)
        found = periods[bounds]
        if member.versions:
            found = _split_by_version(found, [v.since for v in member.versions])
        timelines.append(_timeline(state, member, found))
    return timelines, unfit


def validity_span(order: Order) -> tuple[datetime, datetime | None]:
    """When an order's own validity begins and ends (exclusive; None: until further notice),
    before any amendment."""
    validity = order.validity
    start = validity.start or midnight(_given(validity.first_day), order.tz)
    return start, _end_of(validity, start, order)


def effective_instant(amendment: Amendment, order: Order) -> datetime:
    """When an amendment takes effect: its `effective` instant or day, else its announcement."""
    if amendment.effective is not None:
        return amendment.effective
    day = amendment.effective_day or amendment.announced
    return midnight(day, order.tz)


def _effect_key(amendment: Amendment, order: Order) -> tuple[datetime, str]:
    if amendment.action in ("extend", "revoke"):
        return midnight(amendment.announced, order.tz), amendment.id
    return effective_instant(amendment, order), amendment.id


def _apply(state: _OrderState, amendment: Amendment) -> None:
    if state.revoked is not None:
        raise _Unapplicable(f"order {state.order.id!r} was revoked before this amendment")
    apply = _ACTIONS[amendment.action]
    apply(state, amendment)


def _extend(state: _OrderState, amendment: Amendment) -> None:
    order, tz = state.order, state.order.tz
    last_start, current_end = state.intervals[-1] if state.intervals else (None, None)
    renewal = amendment.start or (
        midnight(amendment.first_day, tz) if amendment.first_day is not None else None
    )
    if state.intervals and current_end is None:
        raise _Unapplicable(f"order {order.id!r} is already in force until further notice")
    announced = midnight(amendment.announced, tz)
    if renewal is None and current_end is not None and announced > current_end:
        renewal = announced  # announced after the order lapsed: renewed from then, with a gap
    if renewal is not None and (current_end is None or renewal > current_end):
        new_end = _end_of(amendment, renewal, order)
        state.intervals.append((renewal, new_end))
        summary = f"renewed from {format_instant(renewal, tz)} until {format_until(new_end, tz)}"
        lapse = bool(state.intervals[:-1])
        if lapse:
            summary += " after a lapse"
        done = Done("renewed", at=renewal, until=new_end, lapse=lapse, tz=order.timezone)
    else:
        if last_start is None or current_end is None:
            raise _Unapplicable(f"order {order.id!r} has no period left to extend")
        new_end = _end_of(amendment, current_end, order)
        if new_end is not None and new_end <= current_end:
            raise _Unapplicable(
                f"the new end ({format_until(new_end, tz)}) is not after the current end "
                f"({format_until(current_end, tz)}); use 'lift' to end an order early"
            )
        state.intervals[-1] = (last_start, new_end)
        summary = f"extended until {format_until(new_end, tz)}"
        done = Done("extended", until=new_end, tz=order.timezone)
    _record(state, amendment, effective_instant(amendment, order), summary, done)


def _lift(state: _OrderState, amendment: Amendment) -> None:
    order, tz = state.order, state.order.tz
    at = effective_instant(amendment, order)
    if not any(end is None or at < end for _, end in state.intervals):
        raise _Unapplicable(f"lift at {format_instant(at, tz)} is after the order already ended")
    state.intervals = [
        (start, at if end is None or end > at else end)
        for start, end in state.intervals
        if start < at
    ]
    done = Done("lifted", at=at, tz=order.timezone)
    _record(state, amendment, at, f"lifted early from {format_instant(at, tz)}", done)


def _revoke(state: _OrderState, amendment: Amendment) -> None:
    state.intervals = []
    at = effective_instant(amendment, state.order)
    summary = f"revoked on {format_day(amendment.announced)}"
    _record(state, amendment, at, summary, Done("revoked", tz=state.order.timezone))
    state.revoked = state.shared_history[-1]


def _add_restriction(state: _OrderState, amendment: Amendment) -> None:
    order = state.order
    at = effective_instant(amendment, order) if _has_effective(amendment) else None
    for restriction in amendment.restrictions:
        if restriction.id in state.members:
            raise _Unapplicable(f"order {order.id!r} already has a restriction {restriction.id!r}")
        member = _Membership(restriction, since=at, added_by=amendment)
        state.members[restriction.id] = member
        when = "" if at is None else f" from {format_instant(at, order.tz)}"
        done = Done("added", at=at, tz=order.timezone)
        member.history.append(
            AppliedAmendment(
                amendment, at or _first_start(state), f"added to the order{when}", done
            )
        )


def _remove_restriction(state: _OrderState, amendment: Amendment) -> None:
    order = state.order
    at = effective_instant(amendment, order)
    for restriction_id in amendment.restriction_ids:
        member = state.members.get(restriction_id)
        if member is None:
            known = ", ".join(state.members) or "none"
            raise _Unapplicable(
                f"order {order.id!r} has no restriction {restriction_id!r} (it has: {known})"
            )
        member.until = at
        member.history.append(
            AppliedAmendment(
                amendment,
                at,
                f"removed from {format_instant(at, order.tz)}",
                Done("removed", at=at, tz=order.timezone),
            )
        )


def _modify_restriction(state: _OrderState, amendment: Amendment) -> None:
    order, changes = state.order, _given(amendment.changes)
    at = effective_instant(amendment, order)
    for restriction_id in amendment.restriction_ids:
        member = state.members.get(restriction_id)
        if member is None or member.restriction is unreported_contents():
            known = ", ".join(r for r in state.members if r != unreported_contents().id)
            raise _Unapplicable(
                f"order {order.id!r} has no restriction {restriction_id!r} "
                f"(it has: {known or 'none'})"
            )
        if member.until is not None and at >= member.until:
            raise _Unapplicable(
                f"restriction {restriction_id!r} was removed before "
                f"{format_instant(at, order.tz)}, when this change would take effect"
            )
        if member.since is not None and at <= member.since:
            raise _Unapplicable(
                f"restriction {restriction_id!r} was added only from "
                f"{format_instant(member.since, order.tz)}; change it from a later instant"
            )
        old, changed = member.latest, changes.changed()
        update = {name: getattr(changes, name) for name in changed}
        if old.translations is not None or changes.translations is not None:
            update["translations"] = rewritten(old.translations, changed, changes.translations)
        new = old.model_copy(update=update)
        member.versions.append(Version(new, at, amendment))
        differences = _differences(old, new)
        summary = f"changed from {format_instant(at, order.tz)}: {differences}"
        announced = f" (announced {format_day(amendment.announced)})"
        done = Done(
            "changed", at=at, words=differences, tz=order.timezone, announced=amendment.announced
        )
        member.history.append(AppliedAmendment(amendment, at, summary + announced, done))


def _differences(old: Restriction, new: Restriction) -> str:
    """What a modification changed, each part with what it was: 'threshold 5 or more people
    (was more than 5 people)'."""
    parts = []
    if new.text != old.text:
        parts.append(f"text “{new.text}” (was “{old.text or 'as its kind'}”)")
    if new.threshold != old.threshold:
        was = old.threshold.describe() if old.threshold else "none"
        now = new.threshold.describe() if new.threshold else "none"
        parts.append(f"threshold {now} (was {was})")
    if new.windows != old.windows:
        parts.append(f"hours {_hours(new)} (was {_hours(old)})")
    if new.within != old.within:
        parts.append(f"where {_sites(new)} (was {_sites(old)})")
    if new.exemptions != old.exemptions:
        parts.append(f"exemptions {_exempted(new)} (was {_exempted(old)})")
    if new.guidance != old.guidance:
        parts.append("guidance for travellers reworded")
    return "; ".join(parts) or "restated without a change"


def _hours(restriction: Restriction) -> str:
    return "; ".join(w.describe() for w in restriction.windows) or "all day"


def _sites(restriction: Restriction) -> str:
    return "; ".join(w.describe() for w in restriction.within) or "throughout its regions"


def _exempted(restriction: Restriction) -> str:
    return "; ".join(e.text for e in restriction.exemptions) or "none"


def _change_scope(state: _OrderState, amendment: Amendment) -> None:
    order = state.order
    at = effective_instant(amendment, order)
    state.scopes.append((at, tuple(amendment.regions), tuple(amendment.exclude_regions)))
    where = ", ".join(amendment.regions)
    if amendment.exclude_regions:
        where += " except " + ", ".join(amendment.exclude_regions)
    summary = f"scope changed to {where} from {format_instant(at, order.tz)}"
    _record(state, amendment, at, summary, Done("scope", at=at, words=where, tz=order.timezone))


_ACTIONS = {
    "extend": _extend,
    "lift": _lift,
    "revoke": _revoke,
    "add_restriction": _add_restriction,
    "remove_restriction": _remove_restriction,
    "modify_restriction": _modify_restriction,
    "change_scope": _change_scope,
}


def _periods(
    state: _OrderState, since: datetime | None, until: datetime | None
) -> tuple[Period, ...]:
    """The periods of a restriction that belongs to the order from `since` until `until`."""
    periods: list[Period] = []
    for start, end in state.intervals:
        start = max(start, since) if since is not None else start
        end = _earlier(end, until)
        if end is not None and end <= start:
            continue
        periods.extend(_split_by_scope(start, end, state.scopes))
    return tuple(periods)


def _timeline(
    state: _OrderState, member: _Membership, periods: tuple[Period, ...]
) -> RestrictionTimeline:
    history: tuple[AppliedAmendment, ...] = ()
    if state.shared_history or member.history:  # most orders are never amended
        # What changed the order while the restriction was part of it: not before it was
        # added, nor after it was removed.
        since, until = member.since, member.until
        shared = [
            h
            for h in state.shared_history
            if (since is None or h.effective >= since) and (until is None or h.effective < until)
        ]
        history = tuple(sorted([*shared, *member.history], key=lambda h: h.effective))
    return RestrictionTimeline(
        state.order,
        member.restriction,
        periods,
        history,
        added_by=member.added_by,
        revoked=state.revoked,
        assumed_end=state.assumed_end,
        corrections=state.corrections,
        unreported=state.order.contents != "reported"
        and member.restriction is unreported_contents(),
        versions=tuple(member.versions),
    )


def _split_by_version(periods: tuple[Period, ...], changes: list[datetime]) -> tuple[Period, ...]:
    """The periods cut where the restriction was modified, each saying which version holds.

    A cut neither ends a run nor starts one: `opened` stays where the run began.
    """
    split: list[Period] = []
    for period in periods:
        start = period.start
        version = sum(1 for at in changes if at <= start)
        for at in changes[version:]:
            if period.end is not None and at >= period.end:
                break
            split.append(replace(period, start=start, end=at, version=version))
            start, version = at, version + 1
        split.append(replace(period, start=start, version=version))
    return tuple(split)


def _split_by_scope(
    start: datetime,
    end: datetime | None,
    scopes: list[tuple[datetime | None, tuple[str, ...], tuple[str, ...]]],
) -> list[Period]:
    if len(scopes) == 1:  # the scope never changed
        _, regions, excluded = scopes[0]
        return [Period(start, end, regions, excluded, opened=start)]
    ordered = sorted(scopes, key=lambda s: (s[0] is not None, s[0] or start))
    periods: list[Period] = []
    for index, (since, regions, excluded) in enumerate(ordered):
        until = ordered[index + 1][0] if index + 1 < len(ordered) else None
        piece_start = start if since is None else max(start, since)
        piece_end = _earlier(end, until)
        if piece_end is None or piece_start < piece_end:
            periods.append(Period(piece_start, piece_end, regions, excluded, opened=start))
    return periods


def _end_of(spec: EndSpec, anchor: datetime, order: Order) -> datetime | None:
    """The exclusive end that an end specification gives, counted from `anchor`.

    Raises _Unapplicable past the last day rules cover: an order's own validity is checked
    for that when read (model/rules.py), so only an amendment's new end can get there.
    """
    if spec.until_further_notice:
        return None
    if spec.last_day is not None:
        return day_after(spec.last_day, order.tz)
    if spec.end is not None:
        return spec.end
    duration = _given(spec.duration)
    try:
        return ends_by(parse_duration(duration), anchor.astimezone(order.tz))
    except ValueError as error:  # a chain of extensions runs past the years rules cover
        raise _Unapplicable(
            f"{duration} from {format_instant(anchor, order.tz)}: {error}"
        ) from None


def _record(
    state: _OrderState, amendment: Amendment, at: datetime, summary: str, done: Done
) -> None:
    announced = f" (announced {format_day(amendment.announced)})"
    done = replace(done, announced=amendment.announced)
    state.shared_history.append(AppliedAmendment(amendment, at, summary + announced, done))


def _first_start(state: _OrderState) -> datetime:
    return (
        state.intervals[0][0]
        if state.intervals
        else midnight(state.order.announced, state.order.tz)
    )


def _has_effective(amendment: Amendment) -> bool:
    return amendment.effective is not None or amendment.effective_day is not None


def _earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _given(value: _T | None) -> _T:
    assert value is not None, "validated by the model"
    return value
