"""Cross-file checks: everything an entry names (sources, kinds, regions, orders) exists."""

from __future__ import annotations

import difflib

from advisories.errors import Problem
from advisories.model.parsed import NodePath, ParsedFile
from advisories.model.regions import Gazetteer, Relation
from advisories.model.restrictions import Restriction, Window
from advisories.model.rules import Kind, Order, Source

_COVERS = (Relation.SAME, Relation.CONTAINS)


class References:
    """Checks that everything an entry names (sources, kinds, regions, orders) exists."""

    def __init__(
        self,
        sources: dict[str, Source],
        kinds: dict[str, Kind],
        gazetteer: Gazetteer,
        problems: list[Problem],
    ) -> None:
        self.sources = sources
        self.kinds = kinds
        self.gazetteer = gazetteer
        self.problems = problems

    def file(self, file: ParsedFile, order_ids: set[str]) -> None:
        rules = file.rules
        for i, place in enumerate(rules.places):
            self.source(file, place.source, ("places", i, "source"))
            if place.parent is not None:
                self.region(file, place.parent, ("places", i, "parent"))
        for i, order in enumerate(rules.orders):
            self.order(file, order, ("orders", i))
        for i, amendment in enumerate(rules.amendments):
            at: NodePath = ("amendments", i)
            if amendment.order not in order_ids:
                self.missing(file, (*at, "order"), "order", amendment.order, order_ids)
            self.citations(file, amendment.sources, (*at, "sources"))
            for k, dispute in enumerate(amendment.disputes):
                self.citations(file, dispute.sources, (*at, "disputes", k, "sources"))
            self.regions(file, [*amendment.regions], (*at, "regions"))
            self.regions(file, [*amendment.exclude_regions], (*at, "exclude_regions"))
            self.exclusions(
                file, amendment.regions, amendment.exclude_regions, (*at, "exclude_regions")
            )
            for j, restriction in enumerate(amendment.restrictions):
                self.restriction(file, restriction, (*at, "restrictions", j))
            if amendment.changes is not None:
                changes = amendment.changes
                self.windows(file, changes.windows or [], (*at, "changes"), None)
                for k, exemption in enumerate(changes.exemptions or []):
                    self.citations(
                        file, exemption.sources, (*at, "changes", "exemptions", k, "sources")
                    )
        for i, item in enumerate(rules.context):
            self.citations(file, item.sources, ("context", i, "sources"))
            self.regions(file, item.regions, ("context", i, "regions"))
        for i, correction in enumerate(rules.corrections):
            if correction.order not in order_ids:
                self.missing(
                    file, ("corrections", i, "order"), "order", correction.order, order_ids
                )
            self.citations(file, correction.sources, ("corrections", i, "sources"))
        for i, covered in enumerate(rules.coverage):
            self.citations(file, covered.sources, ("coverage", i, "sources"))
            self.regions(file, covered.regions, ("coverage", i, "regions"))
            for j, kind in enumerate(covered.kinds or []):
                if kind not in self.kinds:
                    self.missing(file, ("coverage", i, "kinds", j), "kind", kind, set(self.kinds))

    def order(self, file: ParsedFile, order: Order, at: NodePath) -> None:
        self.citations(file, order.sources, (*at, "sources"))
        self.regions(file, order.regions, (*at, "regions"))
        self.regions(file, order.exclude_regions, (*at, "exclude_regions"))
        self.exclusions(file, order.regions, order.exclude_regions, (*at, "exclude_regions"))
        for j, restriction in enumerate(order.restrictions):
            self.restriction(file, restriction, (*at, "restrictions", j), order.regions)
        for k, exemption in enumerate(order.exemptions):
            self.citations(file, exemption.sources, (*at, "exemptions", k, "sources"))
        for k, dispute in enumerate(order.disputes):
            self.citations(file, dispute.sources, (*at, "disputes", k, "sources"))

    def restriction(
        self,
        file: ParsedFile,
        restriction: Restriction,
        at: NodePath,
        scope: list[str] | None = None,
    ) -> None:
        """Checks a restriction; windows for some regions must lie in the order's `scope`
        (when the order is at hand: an amendment's order may be in another file)."""
        self.windows(file, restriction.windows, at, scope)
        kind = self.kinds.get(restriction.kind)
        if kind is None:
            self.missing(file, (*at, "kind"), "kind", restriction.kind, set(self.kinds))
        elif restriction.threshold is not None and not kind.takes_threshold:
            self.problems.append(
                Problem(
                    file.where(*at, "threshold"),
                    f"kind {kind.id!r} takes no threshold",
                    "thresholds are for kinds such as 'gatherings'",
                )
            )
        self.citations(file, restriction.sources, (*at, "sources"))
        for k, exemption in enumerate(restriction.exemptions):
            self.citations(file, exemption.sources, (*at, "exemptions", k, "sources"))
        for k, dispute in enumerate(restriction.disputes):
            self.citations(file, dispute.sources, (*at, "disputes", k, "sources"))

    def windows(
        self, file: ParsedFile, windows: list[Window], at: NodePath, scope: list[str] | None
    ) -> None:
        for k, window in enumerate(windows):
            where: NodePath = (*at, "windows", k, "regions")
            self.regions(file, window.regions or [], where)
            for i, code in enumerate(window.regions or []):
                if scope is None or code not in self.gazetteer:
                    continue
                if not any(self.gazetteer.relation(r, code) in _COVERS for r in scope):
                    self.problems.append(
                        Problem(
                            file.where(*where, i),
                            f"window region {code!r} lies outside the order's regions "
                            f"({', '.join(scope)})",
                            "a window can narrow where the order holds, never widen it",
                        )
                    )

    def citations(self, file: ParsedFile, cited: list[str], at: NodePath) -> None:
        for i, source in enumerate(cited):
            self.source(file, source, (*at, i))

    def source(self, file: ParsedFile, source: str, at: NodePath) -> None:
        if source not in self.sources:
            self.missing(file, at, "source", source, set(self.sources))

    def regions(self, file: ParsedFile, codes: list[str], at: NodePath) -> None:
        for i, code in enumerate(codes):
            self.region(file, code, (*at, i))

    def exclusions(
        self, file: ParsedFile, included: list[str], excluded: list[str], at: NodePath
    ) -> None:
        """An excluded region must lie inside an included one, or the exclusion does nothing."""
        for i, code in enumerate(excluded):
            if code not in self.gazetteer or not all(r in self.gazetteer for r in included):
                continue  # reported as unknown already
            if not any(self.gazetteer.relation(r, code) is Relation.CONTAINS for r in included):
                self.problems.append(
                    Problem(
                        file.where(*at, i),
                        f"excluded region {code!r} lies inside none of the order's regions",
                        "exclude a part of a region the order covers, or drop the exclusion",
                    )
                )

    def region(self, file: ParsedFile, code: str, at: NodePath) -> None:
        if code in self.gazetteer:
            return
        country = code.split("-")[0] + "-"
        same_country = [c for c in self.gazetteer.codes() if c.startswith(country)]
        close = difflib.get_close_matches(code, same_country, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}?" if close else None
        hint = hint or "'advisory regions NAME' lists codes; new places go in a gazetteer file"
        message = f"unknown region {code!r}"
        self.problems.append(Problem(file.where(*at), message, hint, unknown=code))

    def missing(
        self, file: ParsedFile, at: NodePath, what: str, name: str, known: set[str]
    ) -> None:
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        if close:
            hint: str | None = f"did you mean {close[0]!r}?"
        elif known:
            listed = ", ".join(sorted(known)[:6]) + (", ..." if len(known) > 6 else "")
            hint = f"known {what}s: {listed}"
        else:
            hint = f"no {what}s are defined in these rules"
        message = f"unknown {what} {name!r}"
        self.problems.append(Problem(file.where(*at), message, hint, unknown=name))
