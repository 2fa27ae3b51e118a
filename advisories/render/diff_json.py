"""A RulesDiff as JSON, for programs: `advisory diff --format json` (its shape is in
docs/exports.md). Every change reads {change, restriction, old, new}, so that a program can
walk them without knowing each kind; values are as the rule files write them, instants in
ISO 8601 with their offset.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from advisories.evaluation.answer import iso_default
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
from advisories.model.rules import Amendment, Correction, Source


def diff_json(diff: RulesDiff, old: str, new: str) -> bytes:
    """The diff as one JSON document: what was compared, each order's changes, the sources."""
    document = {
        "old": {"rules": old, "version": diff.old_version},
        "new": {"rules": new, "version": diff.new_version},
        "region": diff.region,
        "region_name": diff.names[diff.region] if diff.region else None,
        "changed": not diff.empty,
        "orders": [_order_json(d) for d in diff.orders],
        "sources_added": [_source_json(s) for s in diff.sources_added],
        "sources_removed": [_source_json(s) for s in diff.sources_removed],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False, default=iso_default)
    return (text + "\n").encode()


def _order_json(diff: OrderDiff) -> dict[str, Any]:
    order = diff.order
    return {
        "id": order.id,
        "status": diff.status,
        "title": order.title,
        "authority": order.authority,
        "announced": order.announced,
        "timezone": order.timezone,
        "start": diff.start,
        "end": diff.end,
        "regions": order.regions,
        "exclude_regions": order.exclude_regions,
        "restrictions": [_restriction_json(r) for r in order.restrictions],
        "changes": [_change_json(c) for c in diff.changes],
    }


def _change_json(change: RuleDifference) -> dict[str, Any]:
    """Every change as {change, restriction, old, new}, with the amendment or correction's id
    (and an amendment's action and day) for those."""
    restriction = getattr(change, "restriction", None)
    name, old, new, extra = _parts(change)
    return {
        "change": name,
        "restriction": restriction.id if isinstance(restriction, Restriction) else None,
        **extra,
        "old": old,
        "new": new,
    }


def _parts(change: RuleDifference) -> tuple[str, Any, Any, dict[str, Any]]:
    match change:
        case DatesChanged(fact=fact, old=old, new=new):
            return fact, old, new, {}
        case RegionsChanged(fact=fact, old=old, new=new):
            return fact, list(old), list(new), {}
        case RecordChanged(fact=fact, old=old, new=new):
            return fact, old, new, {}
        case SitesChanged(old=old, new=new):
            return "within", _sites_json(old), _sites_json(new), {}
        case ExemptionsChanged(old=old, new=new):
            return "exemptions", _exemptions_json(old), _exemptions_json(new), {}
        case KindChanged(old=old, new=new):
            return "kind", old, new, {}
        case TextChanged(old=old, new=new):
            return "text", old, new, {}
        case ThresholdChanged(old=old, new=new):
            return "threshold", _threshold_json(old), _threshold_json(new), {}
        case HoursChanged(old=old, new=new):
            return "hours", _windows_json(old), _windows_json(new), {}
        case RestrictionAdded(restriction=r):
            return "restriction_added", None, _restriction_json(r), {}
        case RestrictionRemoved(restriction=r):
            return "restriction_removed", _restriction_json(r), None, {}
        case AmendmentAdded(amendment=a, effects=effects):
            return "amendment_added", None, _effects_json(effects), _amendment_json(a)
        case AmendmentRemoved(amendment=a, effects=effects):
            return "amendment_removed", _effects_json(effects), None, _amendment_json(a)
        case AmendmentChanged(amendment=a, old=old, new=new):
            return "amendment_changed", _effects_json(old), _effects_json(new), _amendment_json(a)
        case CorrectionAdded(correction=c):
            return "correction_added", None, _correction_json(c), {"correction": c.id}
        case CorrectionRemoved(correction=c):
            return "correction_removed", _correction_json(c), None, {"correction": c.id}


def _restriction_json(r: Restriction) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind,
        "text": r.text,
        "threshold": _threshold_json(r.threshold),
        "windows": _windows_json(r.windows),
        "within": _sites_json(r.within),
        "exemptions": _exemptions_json(r.exemptions),
    }


def _threshold_json(threshold: Threshold | None) -> dict[str, int] | None:
    if threshold is None:
        return None
    if threshold.min_people is not None:
        return {"min_people": threshold.min_people}
    return {"more_than": threshold.more_than or 0}


def _windows_json(windows: Sequence[Window]) -> list[dict[str, Any]]:
    return [
        {
            "days": w.days,
            "dates": w.dates,
            "from": w.from_.isoformat("minutes") if w.from_ else None,
            "to": w.to.isoformat("minutes") if w.to else None,
            "regions": w.regions,
        }
        for w in windows
    ]


def _sites_json(sites: Sequence[Site]) -> list[dict[str, str | None]]:
    return [{"type": s.type, "name": s.name} for s in sites]


def _exemptions_json(exemptions: Sequence[Exemption]) -> list[dict[str, str]]:
    return [{"text": e.text, "status": e.status} for e in exemptions]


def _amendment_json(amendment: Amendment) -> dict[str, Any]:
    return {"amendment": amendment.id, "action": amendment.action, "announced": amendment.announced}


def _effects_json(effects: Sequence[Effect]) -> list[dict[str, Any]]:
    return [
        {
            "restriction": e.restriction.id if e.restriction else None,
            "effective": e.effective,
            "summary": e.summary,
        }
        for e in effects
    ]


def _correction_json(correction: Correction) -> dict[str, Any]:
    return {"recorded": correction.recorded, "summary": correction.summary}


def _source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published,
        "url": source.url,
        "file": source.file,
    }
