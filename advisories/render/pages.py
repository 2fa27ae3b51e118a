"""The web service's pages as HTML, from the same Jinja environment and partials as briefings.

Each page is a function of typed values; what the asker typed is shown back only as escaped
text, and every link is built here from our own paths with its query encoded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from advisories.evaluation.orders import OrderStatus, OrderSummary
from advisories.model.time import format_instant, format_until, zone
from advisories.render.environment import environment
from advisories.render.html import written_in
from advisories.render.views import Briefing

STATUS_LABELS: dict[OrderStatus, str] = {
    "in_force": "in force",
    "upcoming": "upcoming",
    "ended": "ended",
    "revoked": "revoked",
}


@dataclass(frozen=True)
class Page:
    """What every page shows around its content."""

    title: str
    section: str  # the navigation entry it belongs to: place, trip or orders
    rules_version: str


@dataclass(frozen=True)
class PlaceForm:
    """The place and days as typed, to show them back."""

    place: str = ""
    first: str = ""
    last: str = ""


@dataclass(frozen=True)
class LegRow:
    place: str = ""
    first: str = ""
    last: str = ""


@dataclass(frozen=True)
class OrderFilters:
    region: str = ""
    region_name: str = ""  # what the region resolved to, for the count line
    kind: str = ""
    status: str = ""


@dataclass(frozen=True)
class OrderRow:
    id: str
    title: str
    authority: str
    regions: list[str]
    when: str
    kinds: list[str]
    contents: str
    status: str
    status_label: str
    stale: bool


def link(path: str, query: Iterable[tuple[str, str]]) -> str:
    """One of our paths with `query` encoded (only the pairs with a value)."""
    pairs = [(k, v) for k, v in query if v]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def home_page(page: Page, form: PlaceForm, examples: Sequence[tuple[str, str]]) -> str:
    return _render("home.html", page=page, form=form, examples=examples)


def briefing_page(
    page: Page,
    form: PlaceForm,
    briefing: Briefing,
    pdf_url: str,
    exports: Sequence[tuple[str, str]] = (),
) -> str:
    """The briefing, its PDF's link, and `exports`: (label, link) of its other formats."""
    return _render("briefing.html", page=page, form=form, b=briefing, pdf_url=pdf_url,
                   exports=exports)  # fmt: skip


def trip_page(
    page: Page,
    title: str,
    rows: Sequence[LegRow],
    briefing: Briefing | None = None,
    *,
    pdf_url: str | None = None,
    trip_text: str = "",
    error: str | None = None,
) -> str:
    """The trip form, and the trip's briefing once asked; an uploaded trip is downloaded by
    sending its text again (`trip_text`), a typed one by its link (`pdf_url`)."""
    return _render(
        "trip.html",
        page=page,
        title=title,
        rows=rows,
        b=briefing,
        pdf_url=pdf_url,
        trip_text=trip_text,
        error=error,
    )


def orders_page(
    page: Page,
    orders: Sequence[OrderSummary],
    filters: OrderFilters,
    kinds: Sequence[tuple[str, str]],
    names: dict[str, str],
) -> str:
    """The orders as a table; `kinds` are (id, label) for the filter and the table, `names`
    the regions' names by code."""
    labels = dict(kinds)
    rows = [
        OrderRow(
            id=o.id,
            title=o.title,
            authority=o.authority,
            regions=[names.get(code, code) for code in o.regions],
            when=_when(o),
            kinds=[labels.get(k, k) for k in o.kinds],
            contents=o.contents,
            status=o.status,
            status_label=STATUS_LABELS[o.status],
            stale=o.stale,
        )
        for o in orders
    ]
    statuses = list(STATUS_LABELS.items())
    return _render(
        "orders.html", page=page, orders=rows, filters=filters, kinds=kinds, statuses=statuses
    )


def error_page(
    page: Page,
    heading: str,
    message: str,
    candidates: Sequence[tuple[str, str]] = (),
    back: str = "/",
) -> str:
    """A question that could not be answered: what is wrong, and the places meant, as links."""
    return _render(
        "error.html",
        page=page,
        heading=heading,
        message=message,
        candidates=candidates,
        back=back,
    )


def _when(order: OrderSummary) -> str:
    if order.start is None:
        return "revoked before it began"
    tz = zone(order.timezone)
    return f"{format_instant(order.start, tz)} until {format_until(order.end, tz)}"


def _render(template: str, **context: object) -> str:
    briefing = context.get("b")
    languages = written_in(briefing) if isinstance(briefing, Briefing) else []
    return environment().get_template(f"web/{template}").render(languages=languages, **context)
