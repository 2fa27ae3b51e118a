"""An Answer as text for a person at a terminal: the verdict first, then details by order.

Sources are numbered once at the end and cited as [1], [2] so that nothing repeats.
"""

from __future__ import annotations

import textwrap

from advisories.evaluation.answer import (
    AmendmentOut,
    Answer,
    ExemptionOut,
    RestrictionOut,
    SourceRef,
)
from advisories.model.regions import Relation
from advisories.model.time import format_day, format_instant, format_until, zone
from advisories.render.wording import (
    coverage_words,
    dispute_words,
    numbered_sources,
    order_wide,
    told_apart,
    unreported_words,
    until_words,
)


def render_answer(answer: Answer, width: int = 100) -> str:
    """The whole answer as lines of text, at most `width` columns where words allow."""
    numbers = numbered_sources([answer])
    lines = [*_heading(answer), "", *_wrap(_verdict(answer), width, "", hang="")]
    if answer.restrictions:
        lines += ["", *_table(answer, numbers)]
    for order in answer.unreported:
        tz = zone(order.timezone)
        when = f"in force {format_instant(order.start, tz)} until {format_until(order.end, tz)}"
        head = f"Order {order.order} — {order.order_title}: {when}"
        words = f"{head}; {unreported_words(order)} {_cite(order.sources, numbers)}"
        lines += ["", *_wrap(words + (" STALE" if order.stale else ""), width, "", hang="  ")]
        if order.note:
            lines += _wrap(f"Note: {order.note}", width, "  ")
    orders: dict[str, list[RestrictionOut]] = {}
    for restriction in answer.restrictions:
        orders.setdefault(restriction.order, []).append(restriction)
    for number, restrictions in enumerate(orders.values(), start=1):
        mark = f"<{number}> " if len(orders) > 1 else ""
        lines += ["", *_order(restrictions, answer.region.name, width, mark, numbers)]
    if answer.changes:
        tz = zone(answer.query.timezone)
        lines += ["", "Changes in this period"]
        for change in answer.changes:
            lines += _wrap(
                f"{format_instant(change.at, tz)}  {change.label}: {change.summary}", width, "  "
            )
    if answer.context:
        lines += ["", "Situation (figures from the parties are hard to verify independently)"]
        for item in answer.context:
            cited = _cite(item.sources, numbers)
            lines += _wrap(f"{format_day(item.date)}  {item.title} {cited}", width, "  ")
            lines += _wrap(item.summary, width, "      ", hang="")
    if numbers:
        lines += ["", "Sources"]
        for source, number in numbers.items():
            lines += _wrap(f"[{number}] {_describe(source)}", width, "  ", hang="    ")
    return "\n".join(lines) + "\n"


def _heading(answer: Answer) -> list[str]:
    region, query = answer.region, answer.query
    tz = zone(query.timezone)
    if query.kind == "instant":
        when = f"At {format_instant(query.start, tz)}"
    else:
        first, last = query.local_days()
        if first == last:
            when = f"On {first:%a} {format_day(first)}"
        else:
            when = f"From {format_day(first)} to {format_day(last)}"
    return [
        f"{region.name} ({region.type.lower()}) — {' > '.join(region.path)}  [{region.code}]",
        f"{when} ({query.timezone}) · rules {answer.rules_version}",
    ]


def _verdict(answer: Answer) -> str:
    found = bool(answer.restrictions or answer.unreported)
    coverage = coverage_words(answer.coverage, answer.region.name, found)
    unknown = sum(u.contents == "not_reported" for u in answer.unreported)
    if unknown:
        orders = f"{unknown} order{'s' if unknown != 1 else ''}"
        coverage = f"{orders} in force whose contents were not reported: check locally. {coverage}"
    if not answer.restrictions:
        return coverage
    in_force = sum(r.status == "in_force" for r in answer.restrictions)
    partial = len(answer.restrictions) - in_force
    words = [f"{in_force} restriction{'s' if in_force != 1 else ''} in force"] if in_force else []
    if partial:
        more = " more" if in_force else ""
        words.append(f"{partial}{more} in force in part of {answer.region.name}")
    stale = sum(r.stale for r in answer.restrictions)
    if stale:
        words.append(f"{stale} past review date (STALE: check for news)")
    return "; ".join(words) + ". " + coverage


def _table(answer: Answer, numbers: dict[SourceRef, int]) -> list[str]:
    def span(r: RestrictionOut) -> str:
        tz = zone(r.timezone)
        until = "until " + until_words(r, tz)
        if r.start > answer.query.start:
            until = f"from {format_instant(r.start, tz)} {until}"
        gaps = sum(a.end != b.start for a, b in zip(r.periods, r.periods[1:], strict=False))
        if gaps:
            until += f" (+{gaps} more period{'s' if gaps > 1 else ''} after a lapse)"
        # Times are the order's own; say so when they are not the question's timezone.
        return until if r.timezone == answer.query.timezone else f"{until} ({r.timezone})"

    orders = list(dict.fromkeys(r.order for r in answer.restrictions))
    apart = told_apart(answer.restrictions)

    def what(r: RestrictionOut) -> str:
        if r.id in apart:
            return r.text
        return r.label + (f" ({r.threshold.as_written})" if r.threshold else "")

    rows = [
        (
            what(r) + (f"  <{orders.index(r.order) + 1}>" if len(orders) > 1 else ""),
            span(r),
            _cite(r.sources, numbers),
            " · ".join(
                flag
                for flag, shown in (
                    ("in part of the area", r.status == "partial"),
                    ("only " + "; ".join(w.description for w in r.within), bool(r.within)),
                    ("hours: " + "; ".join(r.windows), bool(r.windows)),
                    ("STALE", r.stale),
                )
                if shown
            ),
        )
        for r in answer.restrictions
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [
        (
            "  "
            + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
            + "  "
            + row[3]
        ).rstrip()
        for row in rows
    ]


def _order(
    restrictions: list[RestrictionOut],
    asked: str,
    width: int,
    mark: str,
    numbers: dict[SourceRef, int],
) -> list[str]:
    first = restrictions[0]
    tz = zone(first.timezone)
    lines = _wrap(f"{mark}Order {first.order} — {first.order_title}", width, "", hang="  ")
    basis = f" · {first.legal_basis}" if first.legal_basis else ""
    lines += _wrap(f"{first.authority}{basis}", width, "  ")
    if first.penalty:
        lines += _wrap(f"Penalty: {first.penalty}", width, "  ")
    when = f"In force {format_instant(first.start, tz)} until {until_words(first, tz)}"
    if first.as_written:
        when += f" (as written: “{first.as_written}”)"
    lines += _wrap(when + f", {first.timezone}", width, "  ")
    match = first.matched_region
    relation = Relation(match.relation).phrase(asked)
    lines += _wrap(
        f"Covers {match.name} [{match.code}]{relation} · {first.verification}",
        width,
        "  ",
    )
    wide = [w.description for w in first.within if w.order_wide]
    if wide:
        lines += _wrap(f"Only {'; '.join(wide)}", width, "  ")
    for exemption in (e for e in first.exemptions if e.order_wide):
        lines += _wrap(f"Exemption for the whole order ({_state(exemption)}): {exemption.text}",
                       width, "  ")  # fmt: skip
    for dispute in (d for d in first.disputes if d.order_wide):
        words = f"{dispute_words(dispute)} {_cite(dispute.sources, numbers)}"
        lines += _wrap(words, width, "  ")
    lines += _amendments([a for a in first.amendments if order_wide(a)], width, "  ", numbers)
    for correction in first.corrections:
        cited = _cite(correction.sources, numbers)
        day = format_day(correction.recorded)
        lines += _wrap(f"Corrected (our record, {day}): {correction.summary} {cited}", width, "  ")
    if first.stale and first.review_by is not None:
        lines.append(f"  STALE: review was due on {format_day(first.review_by)}; check for news")
    for r in restrictions:
        lines += _wrap(
            f"- {r.label}" + (f": {r.text}" if r.text != r.label else ""), width, "  ", hang="    "
        )
        if (r.start, r.end) != (first.start, first.end):
            span = f"{format_instant(r.start, tz)} until {until_words(r, tz)}"
            lines += _wrap(f"In force {span}", width, "      ")
        own_sites = [w.description for w in r.within if not w.order_wide]
        if own_sites:
            lines += _wrap(f"Only {'; '.join(own_sites)}", width, "      ")
        if r.windows:
            lines += _wrap(f"Hours: {'; '.join(r.windows)}", width, "      ")
        own = [a for a in r.amendments if not order_wide(a)]
        lines += _amendments(own, width, "      ", numbers)
        for dispute in (d for d in r.disputes if not d.order_wide):
            words = f"{dispute_words(dispute)} {_cite(dispute.sources, numbers)}"
            lines += _wrap(words, width, "      ")
        for exemption in (e for e in r.exemptions if not e.order_wide):
            lines += _wrap(f"Exemption ({_state(exemption)}): {exemption.text}", width, "      ")
        lines += _wrap(r.advice, width, "      ")
        if r.note and r.note != first.note:
            lines += _wrap(f"Note: {r.note}", width, "      ")
    if first.note and all(r.note == first.note for r in restrictions):
        lines += _wrap(f"Note: {first.note}", width, "  ")
    return lines


def _amendments(
    amendments: list[AmendmentOut], width: int, indent: str, numbers: dict[SourceRef, int]
) -> list[str]:
    lines: list[str] = []
    for amendment in amendments:
        cited = _cite(amendment.sources, numbers)
        by = ", ".join(x for x in (amendment.authority, amendment.legal_basis) if x)
        by = f" — {by}" if by else ""
        lines += _wrap(f"Amended: {amendment.summary}{by} {cited}".rstrip(), width, indent)
        for dispute in amendment.disputes:
            words = f"{dispute_words(dispute)} {_cite(dispute.sources, numbers)}"
            lines += _wrap(words, width, indent + "    ")
        if amendment.note:
            lines += _wrap(f"Note: {amendment.note}", width, indent + "    ")
    return lines


def _state(exemption: ExemptionOut) -> str:
    return "confirmed" if exemption.applies else "proposed, NOT in force"


def _cite(sources: list[SourceRef], numbers: dict[SourceRef, int]) -> str:
    return "".join(f"[{numbers[s]}]" for s in sources)


def _describe(source: SourceRef) -> str:
    published = f", {format_day(source.published)}" if source.published else ""
    where = source.url or source.file or ""
    return f"{source.publisher}, “{source.title}”{published} {where}"


def _wrap(text: str, width: int, indent: str, hang: str | None = None) -> list[str]:
    follow = indent + "  " if hang is None else (hang or indent)
    return textwrap.wrap(
        text, width=width, initial_indent=indent, subsequent_indent=follow, break_on_hyphens=False
    ) or [indent]
