"""A RuleSet's bulk in groups that are unpickled on first use, for the compiled cache.

Unpickling every order, timeline and source was most of a warm start for a large tree, while
a question about one place needs the orders of one country. `shelve` cuts the
orders (with their timelines and amendments) into groups of neighbours: by country, then by
region code, at most GROUP_ORDERS each; the sources go in groups beside them, each source
with the first group of orders that cites it. Each group is pickled on its own; the RuleSet
keeps the bytes and opens a group the first time something in it is asked for. Positions
(the index's) and keys (ids) stay as they were, so nothing that reads a RuleSet changes.
"""

from __future__ import annotations

import pickle
import threading
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar, overload

from advisories.compile.ruleset import RuleSet
from advisories.compile.timeline import RestrictionTimeline, amendments_by_order
from advisories.model.restrictions import Restriction
from advisories.model.rules import Amendment, Order, Source

# Small enough that opening one group is cheap next to a question, large enough that a
# country's orders take few groups (BENCHMARKS.md has the figures).
GROUP_ORDERS = 64

_Item = TypeVar("_Item")


class Shelf:
    """Pickled groups, each unpickled once, when first asked for.

    Once even with threads (a web service answering at once): two copies of a group would
    break the sharing of objects within it (a timeline's order is the order in `orders`).
    """

    def __init__(self, groups: Sequence[Any]) -> None:
        self._blobs = [pickle.dumps(g, protocol=pickle.HIGHEST_PROTOCOL) for g in groups]
        self._open: dict[int, Any] = {}
        self._opening = threading.Lock()

    def __getstate__(self) -> list[bytes]:
        return self._blobs  # only the bytes travel: a copy opens its groups itself

    def __setstate__(self, blobs: list[bytes]) -> None:
        self._blobs = blobs
        self._open = {}
        self._opening = threading.Lock()

    def __len__(self) -> int:
        return len(self._blobs)

    def group(self, number: int) -> Any:
        found = self._open.get(number)
        if found is None:
            with self._opening:
                found = self._open.get(number)
                if found is None:
                    found = self._open[number] = pickle.loads(self._blobs[number])
        return found


@dataclass(frozen=True)
class _Group:
    timelines: list[RestrictionTimeline]
    orders: dict[str, Order]
    amendments: list[Amendment]


class ShelvedSequence(Sequence[_Item], Generic[_Item]):
    """A tuple's items in shelf groups: item i is `field`[slots[i]] of group groups[i]."""

    def __init__(self, shelf: Shelf, field: str, groups: array[int], slots: array[int]) -> None:
        self._shelf, self._field, self._groups, self._slots = shelf, field, groups, slots

    def __len__(self) -> int:
        return len(self._groups)

    @overload
    def __getitem__(self, index: int) -> _Item: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[_Item]: ...
    def __getitem__(self, index: int | slice) -> _Item | Sequence[_Item]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        items = getattr(self._shelf.group(self._groups[index]), self._field)
        return items[self._slots[index]]  # type: ignore[no-any-return]


class ShelvedMapping(Mapping[str, _Item], Generic[_Item]):
    """A dict's values in shelf groups, found by key; keys keep their first order."""

    def __init__(self, shelf: Shelf, field: str | None, groups: dict[str, int]) -> None:
        self._shelf, self._field, self._groups = shelf, field, groups

    def __getitem__(self, key: str) -> _Item:
        group = self._shelf.group(self._groups[key])
        values = group if self._field is None else getattr(group, self._field)
        return values[key]  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self._groups)

    def __len__(self) -> int:
        return len(self._groups)

    def __contains__(self, key: object) -> bool:
        return key in self._groups


def shelve(rules: RuleSet) -> RuleSet:
    """The same RuleSet with its orders, timelines, amendments and sources in shelf groups."""
    ordered = sorted(rules.orders.values(), key=lambda o: (o.regions[0].split("-")[0], o.regions))
    group_of = {order.id: n // GROUP_ORDERS for n, order in enumerate(ordered)}
    count = -(-len(ordered) // GROUP_ORDERS)
    groups = [_Group([], {}, []) for _ in range(count)]
    for order in rules.orders.values():
        groups[group_of[order.id]].orders[order.id] = order
    timelines = _place(rules.timelines, lambda t: group_of[t.order.id], groups, "timelines")
    amendments = _place(rules.amendments, lambda a: group_of[a.order], groups, "amendments")
    by_order = amendments_by_order(rules.amendments)
    source_group: dict[str, int] = {}
    for order in ordered:
        for cited in _cited(order, by_order.get(order.id, [])):
            source_group.setdefault(cited, group_of[order.id])
    source_groups: list[dict[str, Source]] = [{} for _ in range(count + 1)]
    for source_id, source in rules.sources.items():  # the last group: cited by no order
        source_groups[source_group.setdefault(source_id, count)][source_id] = source
    shelf, sources = Shelf(groups), Shelf(source_groups)
    return replace(
        rules,
        orders=ShelvedMapping(shelf, "orders", {o: group_of[o] for o in rules.orders}),
        timelines=ShelvedSequence(shelf, "timelines", *timelines),
        amendments=ShelvedSequence(shelf, "amendments", *amendments),
        sources=ShelvedMapping(sources, None, {s: source_group[s] for s in rules.sources}),
    )


def _place(
    items: Sequence[Any], group: Any, groups: list[_Group], field: str
) -> tuple[array[int], array[int]]:
    """Put each item in its group; return each item's group and slot, by its position."""
    numbers, slots = array("I"), array("I")
    for item in items:
        number = group(item)
        into: list[Any] = getattr(groups[number], field)
        numbers.append(number)
        slots.append(len(into))
        into.append(item)
    return numbers, slots


def _cited(order: Order, amendments: Sequence[Amendment]) -> Iterator[str]:
    """Every source an order and its amendments cite, in the order they are written."""
    yield from order.sources
    for exemption in order.exemptions:
        yield from exemption.sources
    for dispute in order.disputes:
        yield from dispute.sources
    for restriction in _restrictions(order, amendments):
        yield from restriction.sources
        for exemption in restriction.exemptions:
            yield from exemption.sources
        for dispute in restriction.disputes:
            yield from dispute.sources
    for amendment in amendments:
        yield from amendment.sources


def _restrictions(order: Order, amendments: Sequence[Amendment]) -> Iterator[Restriction]:
    yield from order.restrictions
    for amendment in amendments:
        yield from amendment.restrictions
