"""An order's timelines as each of its amendments left them, in the order they were announced.

What a reader of the rules saw after each announcement: exports that must say what changed
(a calendar raising an event's SEQUENCE, cancelling what a lift or a revocation removed)
compare one revision with the next. Pure: an order and its amendments in, revisions out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from advisories.compile.timeline import RestrictionTimeline, compile_order, effective_instant
from advisories.model.rules import Amendment, Correction, Order


@dataclass(frozen=True)
class Revision:
    """The order's timelines once `amendment` was announced (None: the order as issued)."""

    amendment: Amendment | None
    timelines: tuple[RestrictionTimeline, ...]


def revisions(
    order: Order, amendments: Sequence[Amendment], corrections: tuple[Correction, ...] = ()
) -> list[Revision]:
    """The order as issued, then after each amendment in the order announced (the same day:
    in the order they take effect); the last is the order as `compile_order` gives it."""
    announced = sorted(amendments, key=lambda a: (a.announced, effective_instant(a, order), a.id))
    steps: list[Revision] = []
    for count, amendment in enumerate([None, *announced]):
        timelines, _ = compile_order(order, announced[:count], corrections)
        steps.append(Revision(amendment, tuple(timelines)))
    return steps
