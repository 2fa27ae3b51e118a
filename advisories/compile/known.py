"""The rules as they stood on a past day: what was announced or recorded after it left out.

An answer "as of" a day is the answer that could have been given that day: orders and
amendments announced later, corrections recorded later and context dated later were not yet
known, so they are not applied. A briefing reproduced as of 10 February then says what it said
on 10 February, and an order that a later extension made open-ended still shows its first end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from advisories.compile.index import RegionIndex, TimelineIndex
from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import compile_orders
from advisories.model.rules import Amendment, ContextItem, Correction, Order

_NOTHING = date.min  # a tree that records nothing


def last_known(
    orders: Iterable[Order],
    amendments: Iterable[Amendment],
    corrections: Iterable[Correction],
    context: Iterable[ContextItem],
) -> date:
    """The latest day the tree records anything on."""
    return max(
        (
            *(o.announced for o in orders),
            *(a.announced for a in amendments),
            *(c.recorded for c in corrections),
            *(c.date for c in context),
        ),
        default=_NOTHING,
    )


def as_known_on(rules: RuleSet, day: date) -> RuleSet:
    """`rules` as they stood at the end of `day`; the same object when nothing came later.

    An amendment that fitted the whole record but not this part of it (it changed a
    restriction that a later-announced amendment had added) is left out too: on `day` it
    could not have been applied.
    """
    if day >= rules.last_known:
        return rules
    orders = {i: o for i, o in rules.orders.items() if o.announced <= day}
    amendments = [a for a in rules.amendments if a.announced <= day and a.order in orders]
    corrections = [c for c in rules.corrections if c.recorded <= day and c.order in orders]
    context = tuple(c for c in rules.context if c.date <= day)
    compiled, _ = compile_orders(orders.values(), amendments, corrections)
    timelines = tuple(compiled)
    return replace(
        rules,
        orders=orders,
        amendments=tuple(amendments),
        context=context,
        timelines=timelines,
        index=TimelineIndex(timelines, rules.gazetteer),
        context_index=RegionIndex((item.regions for item in context), rules.gazetteer),
        corrections=tuple(corrections),
        last_known=last_known(orders.values(), amendments, corrections, context),
    )
