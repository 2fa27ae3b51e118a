"""The typed context a briefing template reads: one frozen dataclass per thing it shows.

Every string is plain text that the templates escape; only `LegView.timeline` is markup, built
by chart.py from dates and escaped labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from advisories.model.documents import Contact


@dataclass(frozen=True)
class SourceView:
    number: int
    publisher: str
    title: str
    published: str | None
    url: str | None
    file: str | None


@dataclass(frozen=True)
class ExemptionView:
    text: str
    status: str  # "confirmed" or "proposed"
    applies: bool


@dataclass(frozen=True)
class AmendmentView:
    summary: str
    by: str | None  # the amendment's own authority and legal basis, when it names them
    note: str | None
    sources: list[int]
    disputes: list[CitedLine]  # other accounts of the change


@dataclass(frozen=True)
class CitedLine:
    """Words with the numbers of their sources: another account of a fact, a correction."""

    words: str
    sources: list[int]


@dataclass(frozen=True)
class UnreportedView:
    """An order in force whose contents were not (all) reported."""

    title: str
    authority: str
    period: str
    words: str  # "an order is in force whose contents were not reported: check locally"
    sources: list[int]
    stale: bool
    note: str | None


@dataclass(frozen=True)
class RestrictionView:
    anchor: str
    label: str
    text: str
    in_part: bool
    where: str
    period: str
    as_written: str | None
    authority: str
    legal_basis: str | None
    threshold: str | None
    windows: list[str]
    within: list[str]  # where inside, for this restriction alone
    exemptions: list[ExemptionView]
    disputes: list[CitedLine]  # this restriction's own
    advice: str
    guidance: str
    org_guidance: str | None
    sources: list[int]
    verification: str
    stale: bool
    review_by: str | None
    amendments: list[AmendmentView]  # those that changed the whole order
    own_amendments: list[AmendmentView]  # those that added, removed or changed it alone
    note: str | None


@dataclass(frozen=True)
class OrderView:
    """An order as the briefing shows it: what its restrictions share, then each of them.

    A restriction's own `period`, `where`, `sources` or `note` are shown only where they
    differ from the order's (a restriction added later, or reported by one source only).
    """

    anchor: str
    title: str
    authority: str
    legal_basis: str | None
    penalty: str | None
    within: list[str]  # where inside, for every restriction of the order
    exemptions: list[ExemptionView]  # for every restriction of the order
    disputes: list[CitedLine]  # about the order as a whole
    corrections: list[CitedLine]  # fixes of our record of the order
    where: str
    period: str
    as_written: str | None
    sources: list[int]
    verification: str
    stale: bool
    review_by: str | None
    amendments: list[AmendmentView]
    note: str | None
    restrictions: list[RestrictionView]


@dataclass(frozen=True)
class ChangeView:
    """Changes at one instant to one order, grouped: 'Ends: <order>' and the restrictions."""

    when: str
    leg: str | None
    what: str
    restrictions: list[str]


@dataclass(frozen=True)
class SituationView:
    date: str
    title: str
    summary: str
    sources: list[int]
    verification: str


@dataclass(frozen=True)
class LegView:
    number: int
    anchor: str
    place: str
    place_type: str
    path: str
    code: str
    period: str
    period_days: int
    timezone: str
    travellers: list[str]
    note: str | None  # the trip file's note on this leg ("Port visit"), shown as written
    count_in_force: int
    count_in_part: int
    count_stale: int
    coverage: str  # what the rules' coverage means here, said before anything else
    coverage_status: str  # "monitored", "partly_monitored" or "not_monitored"
    coverage_stale: bool
    advice: list[str]
    orders: list[OrderView]
    unreported: list[UnreportedView]
    repeated: list[tuple[str, int]]  # (order title, leg) for orders described in an earlier leg
    timeline: Markup  # the chart built, its words escaped, by chart.py
    changes: list[ChangeView]
    coming: list[ChangeView]
    lookahead_days: int
    situation: list[SituationView]


@dataclass(frozen=True)
class MatrixCell:
    """A cell of the trip summary: its words in the briefing's language, and what it says in
    one word for the stylesheet (in-force, in-part, none, no-record, monitored,
    not-monitored)."""

    text: str
    state: str


@dataclass(frozen=True)
class MatrixView:
    columns: list[str]
    rows: list[tuple[str, list[MatrixCell]]]  # leg label, one cell per column


@dataclass(frozen=True)
class OrganisationView:
    name: str
    marking: str | None
    logo_url: str | None
    contacts: list[Contact]


@dataclass(frozen=True)
class OrderDiffView:
    """One order's differences since the earlier rules, in words (render/diff.py)."""

    heading: str
    order: str  # its id
    about: list[str]  # who issued it, when and where it holds: a new or removed order
    bans: list[str]  # its restrictions: a new or removed order
    changes: list[str]


@dataclass(frozen=True)
class DiffSectionView:
    """The "Changed since" section: what differs between earlier rules and these, for the
    briefing's place."""

    since: str  # the revision or folder as given
    compared: str  # the two rules versions
    summary: str  # how many orders and sources; empty when nothing changed
    orders: list[OrderDiffView]
    sources: list[str]  # sources added, then those removed, each with a word saying which
    in_english: str | None  # in a briefing in another language: its changes are in English


@dataclass(frozen=True)
class Briefing:
    """Everything a briefing template shows."""

    lang: str
    paper: str
    title: str
    place_line: str
    period: str
    generated_at: str | None
    generated_iso: str | None  # for the document's metadata (W3C date-time)
    rules_version: str
    rules_commit: str | None
    marking: str
    organisation: OrganisationView | None
    travellers: list[str]
    summary: MatrixView | None
    trip_changes: list[ChangeView]
    legs: list[LegView]
    sources: list[SourceView]
    caveat: str
    diff_section: DiffSectionView | None = None  # with `--since-rules`: what changed since
    in_english: str | None = None  # in another language: some of the rules' text is English
