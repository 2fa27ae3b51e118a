"""The web service's pages as HTML, from the same Jinja environment and partials as briefings.

Each page is a function of typed values; what the asker typed is shown back only as escaped
text, and every link is built here from our own paths with its query encoded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from advisories.evaluation.orders import OrderStatus, OrderSummary
from advisories.model.time import zone
from advisories.render.environment import environment
from advisories.render.html import written_in
from advisories.render.language import direction, template_variables
from advisories.render.views import Briefing
from advisories.render.words import Words

# Each language offered by its own name, so that a reader finds theirs whatever the page is in.
LANGUAGE_NAMES = {"en": "English", "ur": "اردو", "en+ur": "English + اردو"}


@dataclass(frozen=True)
class Choice:
    """A language the page can be read in: its code, its own name, this page's link in it."""

    lang: str
    name: str
    href: str

    @property
    def tag(self) -> str:
        """The language its name is written in first, as an HTML `lang`."""
        return self.lang.split("+")[0]


@dataclass(frozen=True)
class Page:
    """What every page shows around its content, and the language it is in."""

    title: str
    section: str  # the navigation entry it belongs to: place, trip or orders
    rules_version: str
    lang: str = "en"  # as chosen: a language, or two (en+ur) for the briefing it shows
    languages: Sequence[Choice] = field(default_factory=tuple)  # this page in each language

    @property
    def text_lang(self) -> str:
        """The language of the page's own text: the first of those chosen."""
        return self.lang.split("+")[0]

    def to(self, path: str, query: Iterable[tuple[str, str]] = ()) -> str:
        """A link to another of our pages, in this page's language."""
        return link(path, [*query, ("lang", "" if self.lang == "en" else self.lang)])


def language_choices(
    path: str, query: Iterable[tuple[str, str]], langs: Iterable[str]
) -> list[Choice]:
    """`path` with `query` in each of `langs` (English, the default, needs no parameter)."""
    kept = [(k, v) for k, v in query if k != "lang"]
    return [
        Choice(
            lang,
            LANGUAGE_NAMES.get(lang, lang),
            link(path, [*kept, ("lang", "" if lang == "en" else lang)]),
        )
        for lang in langs
    ]


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


@dataclass(frozen=True)
class Example:
    """A recent order offered on the home page as a question: its title, its place and
    first day (written for the page's language), and the link that asks it."""

    title: str
    place: str
    day: str
    href: str


def home_page(page: Page, form: PlaceForm, examples: Sequence[Example]) -> str:
    return _render("home.html", page=page, form=form, examples=examples)


def briefing_page(
    page: Page,
    form: PlaceForm,
    briefings: Sequence[Briefing],
    pdf_url: str,
    exports: Sequence[tuple[str, str]] = (),
) -> str:
    """The briefing in each of its languages (each section, then its translation), its PDF's
    link, and `exports`: (label, link) of its other formats."""
    return _render("briefing.html", page=page, form=form, briefings=briefings, pdf_url=pdf_url,
                   exports=exports)  # fmt: skip


def trip_page(
    page: Page,
    title: str,
    rows: Sequence[LegRow],
    briefings: Sequence[Briefing] = (),
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
        briefings=briefings,
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
    statuses = _status_labels(page.text_lang)
    rows = [
        OrderRow(
            id=o.id,
            title=o.title,
            authority=o.authority,
            regions=[names.get(code, code) for code in o.regions],
            when=_when(o, page.text_lang),
            kinds=[labels.get(k, k) for k in o.kinds],
            contents=o.contents,
            status=o.status,
            status_label=statuses[o.status],
            stale=o.stale,
        )
        for o in orders
    ]
    return _render("orders.html", page=page, orders=rows, filters=filters, kinds=kinds,
                   statuses=list(statuses.items()))  # fmt: skip


def _status_labels(lang: str) -> dict[OrderStatus, str]:
    """An order's status as the orders page words it in `lang`."""
    return {
        # TRANSLATORS: an order's status on the orders page: it applies now
        "in_force": Words(lang)._("in force"),
        # TRANSLATORS: an order's status on the orders page: announced, not begun yet
        "upcoming": Words(lang)._("upcoming"),
        # TRANSLATORS: an order's status on the orders page: its last day has passed
        "ended": Words(lang)._("ended"),
        # TRANSLATORS: an order's status on the orders page: withdrawn by its authority
        "revoked": Words(lang)._("revoked"),
    }


def page_titles(lang: str) -> dict[str, str]:
    """The pages' titles by section, for a page that shows no briefing (which titles it)."""
    return {
        # TRANSLATORS: the home page's title (browser tab): where one place is checked
        "place": Words(lang)._("Check a place"),
        # TRANSLATORS: the trip page's title (browser tab) before a trip is briefed
        "trip": Words(lang)._("Trip"),
        # TRANSLATORS: the orders page's title (browser tab)
        "orders": Words(lang)._("Orders"),
    }


def export_labels(lang: str) -> dict[str, str]:
    """The formats the briefing page links to, by their EXPORTS name, as it words them."""
    return {
        # TRANSLATORS: briefing page: a link to the same question as a calendar file; the
        # value is the file's suffix, '.ics'
        "ics": Words(lang)._("Calendar (%(suffix)s)", suffix=".ics"),
        # TRANSLATORS: briefing page: a link to the same question as a spreadsheet file; the
        # value is the file's suffix, '.csv'
        "csv": Words(lang)._("Spreadsheet (%(suffix)s)", suffix=".csv"),
    }


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


def _when(order: OrderSummary, lang: str) -> str:
    if order.start is None:
        # TRANSLATORS: orders page, the When column of an order withdrawn before its first day
        return Words(lang)._("revoked before it began")
    return Words(lang).span(order.start, order.end, zone(order.timezone))


def _render(template: str, page: Page, **context: object) -> str:
    """A page in its language: the templates' text from its catalogue, its direction."""
    briefings = context.pop("briefings", ())
    assert isinstance(briefings, Sequence)
    lang = page.text_lang
    return (
        environment()
        .get_template(f"web/{template}")
        .render(
            page=page,
            direction=direction(lang),
            b=briefings[0] if briefings else None,
            languages=written_in(*briefings),
            **context,
            **template_variables(lang),
        )
    )
