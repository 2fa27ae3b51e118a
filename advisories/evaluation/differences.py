"""What can differ between two RuleSets, one type a kind of difference: an order's dates,
regions, sites and exemptions, and what the record says of it (verification, contents,
penalty, legal basis); its restrictions and what they ban; its amendments and corrections;
and, for a whole diff, the orders and sources. `diff.py` finds them.

Each holds the values before and after as the rule files mean them (instants, region codes,
the model's own Threshold, Window, Site and Exemption), so that text, JSON and the briefing
each say them their own way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from advisories.model.restrictions import Exemption, Restriction, Site, Threshold, Window
from advisories.model.rules import Amendment, Correction, Order, Source


@dataclass(frozen=True)
class DatesChanged:
    """When the order's own validity starts or ends (an end of None: until further notice)."""

    fact: Literal["start", "end"]
    old: datetime | None
    new: datetime | None


@dataclass(frozen=True)
class RegionsChanged:
    """The regions an order names, or those it leaves out."""

    fact: Literal["regions", "excluded_regions"]
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class RecordChanged:
    """What the record says of the order: how it is verified, whether its contents were
    reported, what breaking it costs and under what law it was issued (None: not recorded)."""

    fact: Literal["verification", "contents", "penalty", "legal_basis"]
    old: str | None
    new: str | None


@dataclass(frozen=True)
class SitesChanged:
    """Where inside its regions the order (`restriction` None) or one restriction holds."""

    restriction: Restriction | None
    old: tuple[Site, ...]
    new: tuple[Site, ...]


@dataclass(frozen=True)
class ExemptionsChanged:
    """Who the order (`restriction` None) or one restriction exempts."""

    restriction: Restriction | None
    old: tuple[Exemption, ...]
    new: tuple[Exemption, ...]


@dataclass(frozen=True)
class TextChanged:
    """The words saying what a restriction bans (None: its kind's label alone). For kind
    `other` they are all that says it."""

    restriction: Restriction
    old: str | None
    new: str | None


@dataclass(frozen=True)
class KindChanged:
    restriction: Restriction
    old: str
    new: str


@dataclass(frozen=True)
class ThresholdChanged:
    restriction: Restriction
    old: Threshold | None
    new: Threshold | None


@dataclass(frozen=True)
class HoursChanged:
    """The windows a restriction holds in (none: all day)."""

    restriction: Restriction
    old: tuple[Window, ...]
    new: tuple[Window, ...]


@dataclass(frozen=True)
class RestrictionAdded:
    restriction: Restriction


@dataclass(frozen=True)
class RestrictionRemoved:
    restriction: Restriction


@dataclass(frozen=True)
class Effect:
    """What an amendment did, as the order's timeline says it: to the whole order
    (`restriction` None) or to one restriction."""

    restriction: Restriction | None
    effective: datetime
    summary: str


@dataclass(frozen=True)
class AmendmentAdded:
    amendment: Amendment
    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class AmendmentRemoved:
    amendment: Amendment
    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class AmendmentChanged:
    """An amendment (the same id) that now does something else, or from another day."""

    amendment: Amendment
    old: tuple[Effect, ...]
    new: tuple[Effect, ...]


@dataclass(frozen=True)
class CorrectionAdded:
    correction: Correction


@dataclass(frozen=True)
class CorrectionRemoved:
    correction: Correction


RuleDifference = (
    DatesChanged
    | RegionsChanged
    | RecordChanged
    | SitesChanged
    | ExemptionsChanged
    | TextChanged
    | KindChanged
    | ThresholdChanged
    | HoursChanged
    | RestrictionAdded
    | RestrictionRemoved
    | AmendmentAdded
    | AmendmentRemoved
    | AmendmentChanged
    | CorrectionAdded
    | CorrectionRemoved
)


@dataclass(frozen=True)
class OrderDiff:
    """One order's differences. An added (removed) order lists its amendments and corrections
    as added (removed); the order itself is described from `order`, `start` and `end`."""

    status: Literal["added", "removed", "changed"]
    order: Order  # as it now reads; as it read, when removed
    start: datetime  # its own validity, before amendments
    end: datetime | None
    changes: tuple[RuleDifference, ...]


@dataclass(frozen=True)
class RulesDiff:
    """Everything that differs between two RuleSets (for one region, when `region` is set; as
    both were known on `as_of`, when that is set).

    `names` gives a name to every region code the differences mention, `labels` a label to
    every kind, so that they can be said without either RuleSet.
    """

    old_version: str
    new_version: str
    region: str | None
    as_of: date | None
    orders: tuple[OrderDiff, ...]  # newest first (by the day announced), then by id
    sources_added: tuple[Source, ...]
    sources_removed: tuple[Source, ...]
    names: Mapping[str, str]
    labels: Mapping[str, str]

    @property
    def empty(self) -> bool:
        return not (self.orders or self.sources_added or self.sources_removed)
