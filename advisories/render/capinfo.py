"""What a CAP 1.2 `info` block says of an order's announcement: the event, CAP's codes, the
times, the restrictions in our words, the travellers' guidance and the places.

How the rules map to CAP's codes (docs/exports.md says the same for users):
- certainty from verification: official (the authority's notification) Observed, reported
  (the media report it) Likely, unverified (a source not confirmed) Possible; the weakest
  of the order and of every amendment the message rests on, since it states them all;
- severity: Moderate for a ban in force or to come (breaking it risks arrest, fines or a
  vehicle impounded), Unknown when the order's contents were not reported, Minor once the
  order is over, lifted or revoked;
- urgency from when the run of the order that the message bears on holds, against `sent`:
  Immediate (in force), Expected (within the hour), Future, Past (over, lifted, revoked);
- responseType: Avoid while in force, Prepare before it starts, Monitor where the contents
  were not (all) reported, AllClear for a lift, None for a revocation or an order over;
- geocode: the ISO 3166 code of each region, or of its nearest ISO 3166 ancestor for a local
  place (valueName ISO3166-2, or ISO3166-1 for a country), then, for a local place, our own
  code (valueName `advisories-region`), then our code of each region the order leaves out
  of the area (valueName `advisories-excluded`), which areaDesc names too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import RestrictionTimeline
from advisories.evaluation.announcements import Announcement, Run
from advisories.evaluation.answer import DisputeOut
from advisories.model.regions import ISO_SOURCE, Gazetteer
from advisories.model.restrictions import Restriction
from advisories.model.time import format_day, format_instant, format_until
from advisories.render.feedxml import add_text
from advisories.render.wording import dispute_words

Standing = tuple[RestrictionTimeline, Restriction]  # a restriction of the order, as it read

LOCAL_REGION = "advisories-region"  # the valueName of a geocode that is our own region code
EXCLUDED_REGION = "advisories-excluded"  # ... of a region (our code) the area leaves out

_CERTAINTY = {"official": "Observed", "reported": "Likely", "unverified": "Possible"}
_WEAKEST_FIRST = ("unverified", "reported", "official")
_VERIFIED = {  # as docs/rules.md defines each status
    "official": "Verification: official (from the authority's own notification).",
    "reported": "Verification: reported (the media report it; the notification was not seen).",
    "unverified": "Verification: unverified (from a source that could not be confirmed).",
}


def cap_time(instant: datetime) -> str:
    """CAP's form of an instant: seconds and an offset, never 'Z'; UTC is '-00:00'."""
    text = instant.replace(microsecond=0).isoformat()
    return text[:-6] + "-00:00" if text.endswith("+00:00") else text


def cap_info(a: Announcement, change: str | None, rules: RuleSet) -> ET.Element:
    """The `info` element of the announcement's message; `change` says what it changed."""
    order, tz = a.order, a.order.tz
    run, standing = a.run(), a.standing()
    info = ET.Element("info")
    add_text(info, "language", "en")
    add_text(info, "category", "Security")
    add_text(info, "event", _event(standing, rules))
    for response in _responses(a, run, standing):
        add_text(info, "responseType", response)
    add_text(info, "urgency", _urgency(a, run))
    add_text(info, "severity", _severity(a, run))
    add_text(info, "certainty", _CERTAINTY[_verification(a)])
    add_text(info, "effective", cap_time(a.sent))
    if run is not None:
        add_text(info, "onset", cap_time(run.start.astimezone(tz)))
        if run.end is not None:
            add_text(info, "expires", cap_time(run.end.astimezone(tz)))
    authority = a.amendment.authority if a.amendment else None
    add_text(info, "senderName", authority or order.authority)
    add_text(info, "headline", order.title)
    add_text(info, "description", _description(a, run, standing, change, rules))
    add_text(info, "instruction", _instruction(a, run, standing, rules))
    web = _web(a, rules)
    if web is not None:
        add_text(info, "web", web)
    # Nothing here may depend on other orders or on the rules as a whole (their version, a
    # place's coverage): a message is published once under its identifier and `sent`.
    parameters = [("order", order.id)]
    if a.amendment is not None:
        parameters.append(("amendment", a.amendment.id))
    if a.correction is not None:
        parameters.append(("correction", a.correction.id))
    parameters += [
        ("verification", _verification(a)),
        ("contents", order.contents),
        ("timezone", order.timezone),
    ]
    for name, value in parameters:
        _pair(info, "parameter", name, value)
    regions = run.regions if run else tuple(order.regions)
    excluded = run.exclude_regions if run else tuple(order.exclude_regions)
    for code in regions:
        info.append(_area(code, excluded, rules.gazetteer))
    return info


def _event(standing: list[Standing], rules: RuleSet) -> str:
    labels = [label(r, rules) for t, r in standing if not t.unreported]
    if any(t.unreported for t, _ in standing):
        labels.append("others not reported" if labels else "contents not reported")
    return "Restrictions: " + "; ".join(dict.fromkeys(labels))


def _holds(a: Announcement, run: Run | None) -> bool:
    """Whether the order is in force or still to come when the message is sent: neither
    revoked nor lifted by it, nor over."""
    if a.action in ("revoke", "lift") or run is None:
        return False
    return run.end is None or run.end > a.sent


def _responses(a: Announcement, run: Run | None, standing: list[Standing]) -> list[str]:
    if a.action == "lift":
        return ["AllClear"]
    if run is None or not _holds(a, run):
        return ["None"]  # revoked, or over: nothing left to do for this order
    found = []
    if any(not t.unreported for t, _ in standing):
        found.append("Prepare" if run.start > a.sent else "Avoid")
    if a.order.contents != "reported":
        found.append("Monitor")
    return found


def _urgency(a: Announcement, run: Run | None) -> str:
    if run is None or not _holds(a, run):
        return "Past"
    if run.start <= a.sent:
        return "Immediate"
    return "Expected" if run.start - a.sent <= timedelta(hours=1) else "Future"


def _severity(a: Announcement, run: Run | None) -> str:
    if not _holds(a, run):
        return "Minor"
    return "Unknown" if a.order.contents == "not_reported" else "Moderate"


def _verification(a: Announcement) -> str:
    """The weakest verification of what the message rests on: the order and its amendments."""
    given = {a.order.verification, *(m.verification for m in a.applied)}
    return next(v for v in _WEAKEST_FIRST if v in given)


def _description(
    a: Announcement, run: Run | None, standing: list[Standing], change: str | None, rules: RuleSet
) -> str:
    order, tz = a.order, a.order.tz
    lines = []
    if change is not None:
        lines.append(sentence(change))
    if a.action == "revoke":
        lines.append("The order is withdrawn as if it had never been issued: none of it applies.")
    elif run is None:
        lines.append("None of the order's restrictions holds at any time.")
    else:
        until = format_until(run.end, tz)
        event = order.validity.until_event
        if event and any(run.end is not None and run.end == t.assumed_end for t in a.timelines):
            until += f" (assumed; the order says “{event}”)"
        places = "; ".join(_place(code, rules.gazetteer) for code in run.regions)
        lines.append(
            f"In force from {format_instant(run.start, tz)} until {until} "
            f"({order.timezone} time) in {places}."
        )
        if run.exclude_regions:
            names = ", ".join(rules.gazetteer[c].name for c in run.exclude_regions)
            lines.append(f"Except in {names}.")
    basis = f" under {order.legal_basis}" if order.legal_basis else ""
    lines.append(f"Ordered by {order.authority}{basis}; announced {format_day(order.announced)}.")
    lines.append("What it bans:" if _holds(a, run) else "What it banned:")
    lines += [f"- {_restriction_words(t, r, run, a, rules)}" for t, r in standing]
    disputes = [*order.disputes, *(d for _, r in standing for d in r.disputes)]
    disputes += a.amendment.disputes if a.amendment else []
    for dispute in disputes:  # the account evaluated is above; never chosen silently
        said = DisputeOut(dispute.about, dispute.claim, sources=[], order_wide=False)
        lines.append(sentence(dispute_words(said)))
    if order.penalty:
        lines.append(f"Penalty: {sentence(order.penalty)}")
    for note in (order.note, a.amendment.note if a.amendment else None):
        if note:
            lines.append(f"Note: {sentence(note)}")
    lines.append(_VERIFIED[_verification(a)])
    return "\n".join(lines)


def _restriction_words(
    timeline: RestrictionTimeline,
    restriction: Restriction,
    run: Run | None,
    a: Announcement,
    rules: RuleSet,
) -> str:
    """One restriction in our words: what, from how many people, when, where, who is exempt;
    an order whose contents were not reported says so and makes nothing up."""
    order, tz = a.order, a.order.tz
    if timeline.unreported:
        if order.contents == "not_reported":
            return "Not reported: the reports of this order do not say what it bans; check locally."
        return "Not all of the order's contents were reported: it may ban more; check locally."
    kind = label(restriction, rules)
    text = restriction.text or kind
    parts = [text if text == kind else f"{kind}: {text}"]
    if restriction.threshold is not None:
        parts.append(f"Threshold: {restriction.threshold.describe()}")
    own = [p for p in timeline.periods if run is not None and _in(p.start, run)]
    if run is not None and own and own[0].start > run.start:
        parts.append(f"From {format_instant(own[0].start, tz)}")
    if run is not None and own and own[-1].end is not None and own[-1].end != run.end:
        parts.append(f"Until {format_until(own[-1].end, tz)}")
    hours = "; ".join(w.describe(lambda c: rules.gazetteer[c].name) for w in restriction.windows)
    parts.append(f"Hours: {hours}" if hours else "Hours: all day")
    sites = [s.describe() for s in (*order.within, *restriction.within)]
    if sites:
        parts.append(f"Where: {'; '.join(sites)}")
    exemptions = [*order.exemptions, *restriction.exemptions]
    confirmed = [e.text for e in exemptions if e.status == "confirmed"]
    proposed = [e.text for e in exemptions if e.status == "proposed"]
    if confirmed:
        parts.append(f"Exempt: {'; '.join(confirmed)}")
    if proposed:
        parts.append(f"Exemptions proposed, not confirmed: {'; '.join(proposed)}")
    return " ".join(sentence(p) for p in parts)


def _instruction(a: Announcement, run: Run | None, standing: list[Standing], rules: RuleSet) -> str:
    """What a traveller should do: the kinds' guidance while the order holds or is to come."""
    elsewhere = "Other orders may still be in force: check the place before travelling."
    if a.action == "revoke":
        return f"Nothing to do for this order: it was revoked. {elsewhere}"
    if a.action == "lift" and run is not None and run.end is not None:
        lifted = format_instant(run.end, a.order.tz)
        return f"The order no longer applies from {lifted}. {elsewhere}"
    if not _holds(a, run):
        return f"Nothing to do for this order: it is over. {elsewhere}"
    guidance: dict[str, None] = {}
    for timeline, restriction in standing:
        if timeline.unreported:
            guidance["Ask local staff or the authorities what the order bans before going."] = None
        else:
            kind = rules.kinds[restriction.kind]
            guidance[f"{kind.label}: {sentence(restriction.guidance or kind.guidance)}"] = None
    return "\n".join(guidance)


def _web(a: Announcement, rules: RuleSet) -> str | None:
    """The first source with an address: the amendment's or correction's, else the order's."""
    change = a.amendment or a.correction
    cited = [*(change.sources if change else []), *a.order.sources]
    return next((rules.sources[s].url for s in cited if rules.sources[s].url), None)


def _area(code: str, excluded: tuple[str, ...], gazetteer: Gazetteer) -> ET.Element:
    """The region by name and ancestry, and by ISO 3166 code (its own, else its nearest ISO
    3166 ancestor's: a local place has none), then by our code where that differs; then
    each region the order leaves out of it, in words and by our code. CAP's geocodes only
    add up, so PK-BA alone would claim the Quetta an order excludes."""
    area = ET.Element("area")
    inside = [c for c in excluded if code in gazetteer.ancestry(c) and c != code]
    description = _place(code, gazetteer)
    if inside:
        description += f" (except {', '.join(gazetteer[c].name for c in inside)})"
    add_text(area, "areaDesc", description)
    iso = next((r for r in gazetteer.lineage(code) if r.source == ISO_SOURCE), None)
    if iso is not None:
        _pair(area, "geocode", "ISO3166-1" if iso.parent is None else "ISO3166-2", iso.code)
    if iso is None or iso.code != code:
        _pair(area, "geocode", LOCAL_REGION, code)
    for left_out in inside:
        _pair(area, "geocode", EXCLUDED_REGION, left_out)
    return area


def _place(code: str, gazetteer: Gazetteer) -> str:
    """'Quetta, Quetta District, Quetta Division, Balochistan, Pakistan'."""
    return ", ".join(r.name for r in gazetteer.lineage(code))


def label(restriction: Restriction, rules: RuleSet) -> str:
    """The restriction's kind as people read it ('Display or use of weapons')."""
    return rules.kinds[restriction.kind].label


def _in(instant: datetime, run: Run) -> bool:
    return run.start <= instant and (run.end is None or instant < run.end)


def sentence(text: str) -> str:
    """`text` with a capital first letter and a full stop at its end."""
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _pair(parent: ET.Element, tag: str, name: str, value: str) -> None:
    element = ET.SubElement(parent, tag)
    add_text(element, "valueName", name)
    add_text(element, "value", value)
