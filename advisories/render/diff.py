"""A RulesDiff in words: for a terminal (`advisory diff`) and the lines the briefing's
"Changed since" section shows (diff_json.py writes it for programs).

Words are plain sentences, one a change, each saying what it was: "In force until end of
3 Nov 2025 (was: until end of 4 Nov 2025)". No clock, no locale: the same diff gives the same
bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from advisories.evaluation.differences import (
    AmendmentAdded,
    AmendmentChanged,
    AmendmentRemoved,
    CorrectionAdded,
    CorrectionRemoved,
    DatesChanged,
    Effect,
    ExemptionsChanged,
    HoursChanged,
    KindChanged,
    OrderDiff,
    RecordChanged,
    RegionsChanged,
    RestrictionAdded,
    RestrictionRemoved,
    RuleDifference,
    RulesDiff,
    SitesChanged,
    TextChanged,
    ThresholdChanged,
)
from advisories.model.restrictions import Exemption, Restriction, Site, Threshold, Window
from advisories.model.rules import Amendment, Source
from advisories.model.time import format_day, format_instant, format_until, zone

_STATUS = {"added": "New order", "removed": "Order removed", "changed": "Changed"}
_UNREPORTED = {
    "not_reported": "What it bans was not reported",
    "partly_reported": "Not all it bans was reported",
}
_CONTENTS = {
    "reported": "reported in full",
    "partly_reported": "reported in part",
    "not_reported": "not reported",
}
_FACTS = {"verification": "Verification", "penalty": "Penalty", "legal_basis": "Legal basis"}


@dataclass(frozen=True)
class OrderWords:
    """One order's differences in words: a heading, what the order is (for one added or
    removed), then one sentence a change."""

    heading: str  # "New order: <title>"
    order: str  # its id
    about: list[str]  # who issued it, when and where it holds (an added or removed order)
    bans: list[str]  # its restrictions (an added or removed order)
    changes: list[str]


def order_words(diff: RulesDiff) -> list[OrderWords]:
    """Every order's differences in words, in the diff's order (newest first)."""
    return [_Wording(diff, d).words() for d in diff.orders]


def source_words(source: Source) -> str:
    published = f", {format_day(source.published)}" if source.published else ""
    where = source.url or source.file or ""
    return f"{source.publisher}{published}: “{source.title}” {where}".rstrip()


def tally(diff: RulesDiff) -> str:
    """'Orders: 1 changed, 1 new. Sources: 2 added.'"""
    statuses = [d.status for d in diff.orders]
    orders = [
        f"{statuses.count(status)} {word}"
        for status, word in (("changed", "changed"), ("added", "new"), ("removed", "removed"))
        if status in statuses
    ]
    sources = [
        f"{len(found)} {how}"
        for found, how in ((diff.sources_added, "added"), (diff.sources_removed, "removed"))
        if found
    ]
    said = [
        f"{what}: {', '.join(counts)}."
        for what, counts in (("Orders", orders), ("Sources", sources))
        if counts
    ]
    return " ".join(said)


def diff_text(diff: RulesDiff, old: str, new: str, width: int = 100) -> str:
    """The diff for a terminal: what was compared, then each order, then the sources."""
    lines = [f"From {old} (rules {diff.old_version}) to {new} (rules {diff.new_version})"]
    place = f" for {diff.names[diff.region]}" if diff.region else ""
    if diff.region:
        lines.append(f"For {diff.names[diff.region]} [{diff.region}] and what bears on it")
    if diff.empty:
        said = f"No changes to the rules{place} between {old} and {new}."
        return "\n".join([*lines, "", *_wrap(said, width, "", "")]) + "\n"
    lines += ["", *_wrap(tally(diff), width, "", "")]
    for order in order_words(diff):
        lines += ["", *_wrap(f"{order.heading} [{order.order}]", width, "", "  ")]
        lines += [line for about in order.about for line in _wrap(about, width, "  ", "    ")]
        if order.bans:
            lines.append("  Bans:")
            lines += [line for ban in order.bans for line in _wrap(ban, width, "    - ", "      ")]
        lines += [line for change in order.changes for line in _wrap(change, width, "  - ", "    ")]
    for title, sources in (("added", diff.sources_added), ("removed", diff.sources_removed)):
        if sources:
            lines += ["", f"Sources {title}"]
            for source in sources:
                lines += _wrap(f"{source.id}: {source_words(source)}", width, "  ", "    ")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, indent: str, hang: str) -> list[str]:
    """`text` wrapped at spaces only: an address is never cut."""
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=hang,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


class _Wording:
    """How one order's differences read."""

    def __init__(self, diff: RulesDiff, order: OrderDiff) -> None:
        self.diff = diff
        self.order = order
        self.tz = zone(order.order.timezone)

    def words(self) -> OrderWords:
        order = self.order.order
        heading = f"{_STATUS[self.order.status]}: {order.title}"
        whole = self.order.status != "changed"
        about = self._about() if whole else []
        bans = [self._restriction(r) for r in order.restrictions] if whole else []
        changes = [self._change(c) for c in self.order.changes]
        return OrderWords(heading, order.id, about, bans, changes)

    def _about(self) -> list[str]:
        order, tz = self.order.order, self.tz
        was = "Was in force" if self.order.status == "removed" else "In force"
        start = format_instant(self.order.start, tz)
        about = [
            f"{order.authority}; announced {format_day(order.announced)}",
            f"{was} from {start} until {format_until(self.order.end, tz)} ({order.timezone})",
            f"Where: {self._regions(order.regions)}"
            + (f", except {self._regions(order.exclude_regions)}" if order.exclude_regions else "")
            + (f"; {_sites(order.within)}" if order.within else ""),
        ]
        if order.exemptions:
            about.append(f"Exempt: {_exemptions(order.exemptions)}")
        if order.contents != "reported":
            about.append(_UNREPORTED[order.contents])
        return about

    def _change(self, change: RuleDifference) -> str:
        tz, name = self.tz, self.order.order.timezone
        match change:
            case DatesChanged(fact="start", old=old, new=new):
                was = _instant(old, tz)
                return f"In force from {_instant(new, tz)} (was: from {was}), {name} time"
            case DatesChanged(old=old, new=new):
                was = format_until(old, tz)
                return f"In force until {format_until(new, tz)} (was: until {was}), {name} time"
            case RegionsChanged(fact=fact, old=old, new=new):
                what = "Where" if fact == "regions" else "Except"
                return f"{what}: {self._regions(new)} (was: {self._regions(old)})"
            case RecordChanged(fact="contents", old=str(old), new=str(new)):
                return f"What it bans: {_CONTENTS[new]} (was: {_CONTENTS[old]})"
            case RecordChanged(fact=fact, old=old, new=new):
                return f"{_FACTS[fact]}: {_said(new)} (was: {_said(old)})"
            case SitesChanged(restriction=restriction, old=old, new=new):
                now, was = _sites(new), _sites(old)
                return f"{self._of(restriction)}where: {now} (was: {was})"
            case ExemptionsChanged(restriction=restriction, old=old, new=new):
                return f"{self._of(restriction)}{_exemption_changes(old, new)}"
            case KindChanged(restriction=restriction, old=old, new=new):
                now, was = self.diff.labels.get(new, new), self.diff.labels.get(old, old)
                return f"{self._subject(restriction)}: now {now} (was: {was})"
            case TextChanged(restriction=restriction, old=old, new=new):
                label = self.diff.labels.get(restriction.kind, restriction.kind)
                return f"{label}: text {_quoted(new)} (was: {_quoted(old)})"
            case ThresholdChanged(restriction=restriction, old=old, new=new):
                now, was = _threshold(new), _threshold(old)
                return f"{self._subject(restriction)}: threshold {now} (was: {was})"
            case HoursChanged(restriction=restriction, old=old, new=new):
                now, was = self._hours(new), self._hours(old)
                return f"{self._subject(restriction)}: hours {now} (was: {was})"
            case RestrictionAdded(restriction=restriction):
                return f"Restriction added: {self._restriction(restriction)}"
            case RestrictionRemoved(restriction=restriction):
                return f"Restriction removed: {self._subject(restriction)}"
            case AmendmentAdded(amendment=amendment, effects=effects):
                return f"Amendment added: {self._effects(amendment, effects)}"
            case AmendmentRemoved(amendment=amendment, effects=effects):
                return f"Amendment removed: {self._effects(amendment, effects)}"
            case AmendmentChanged(amendment=amendment, old=old, new=new):
                now, was = self._effects(amendment, new), self._effects(amendment, old)
                return f"Amendment changed: {now} (was: {was})"
            case CorrectionAdded(correction=correction):
                day = format_day(correction.recorded)
                return f"Correction of our record ({day}): {correction.summary}"
            case CorrectionRemoved(correction=correction):
                day = format_day(correction.recorded)
                return f"Correction withdrawn ({day}): {correction.summary}"

    def _subject(self, restriction: Restriction) -> str:
        label = self.diff.labels.get(restriction.kind, restriction.kind)
        text = restriction.text
        return f"{label} ({text})" if text and text.strip() != label else label

    def _of(self, restriction: Restriction | None) -> str:
        """How a change that may be the whole order's or one restriction's begins."""
        return "" if restriction is None else f"{self._subject(restriction)}: "

    def _restriction(self, restriction: Restriction) -> str:
        parts = [self._subject(restriction)]
        if restriction.threshold:
            parts.append(restriction.threshold.describe())
        if restriction.windows:
            parts.append(f"hours {self._hours(tuple(restriction.windows))}")
        if restriction.within:
            parts.append(_sites(restriction.within))
        if restriction.exemptions:
            parts.append(f"exempt: {_exemptions(restriction.exemptions)}")
        return "; ".join(parts)

    def _regions(self, codes: Sequence[str]) -> str:
        return ", ".join(self.diff.names.get(c, c) for c in codes) or "none"

    def _hours(self, windows: Sequence[Window]) -> str:
        return (
            "; ".join(w.describe(lambda c: self.diff.names.get(c, c)) for w in windows) or "all day"
        )

    def _effects(self, amendment: Amendment, effects: Sequence[Effect]) -> str:
        if not effects:  # an amendment that shaped no restriction's timeline
            action = amendment.action.replace("_", " ")
            return f"{action} (announced {format_day(amendment.announced)})"
        return "; ".join(f"{self._of(e.restriction)}{e.summary}" for e in effects)


def _instant(at: datetime | None, tz: ZoneInfo) -> str:
    return "further notice" if at is None else format_instant(at, tz)


def _said(text: str | None) -> str:
    return " ".join(text.split()) if text else "not recorded"


def _quoted(text: str | None) -> str:
    return f"“{' '.join(text.split())}”" if text else "none (its kind alone)"


def _threshold(threshold: Threshold | None) -> str:
    return threshold.describe() if threshold else "none"


def _sites(sites: Sequence[Site]) -> str:
    return "; ".join(s.describe() for s in sites) or "throughout its regions"


def _exemptions(exemptions: Sequence[Exemption]) -> str:
    return "; ".join(f"{e.text} ({e.status})" for e in exemptions)


def _exemption_changes(old: Sequence[Exemption], new: Sequence[Exemption]) -> str:
    """'exemption added: X (confirmed); exemption removed: Y (proposed)'."""

    def key(e: Exemption) -> tuple[str, str]:
        return " ".join(e.text.split()), e.status

    was, now = {key(e) for e in old}, {key(e) for e in new}
    added = [e for e in new if key(e) not in was]
    removed = [e for e in old if key(e) not in now]
    parts = [f"exemption added: {e.text} ({e.status})" for e in added]
    parts += [f"exemption removed: {e.text} ({e.status})" for e in removed]
    return "; ".join(parts)
