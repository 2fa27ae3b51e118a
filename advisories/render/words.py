"""What a briefing says in one language, built in Python: its sentences, days, times and spans,
and the rules' own text where they carry a translation into it.

The templates' own text is translated by Jinja's i18n extension; the sentences the context
builds (periods, coverage, table cells, the chart's words) are translated here, from the same
catalogue (`make messages` extracts every `words._(...)` call).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, get_day_names

from advisories.evaluation.answer import Translated
from advisories.model.time import format_day, format_instant
from advisories.render.language import direction, translations

Ending = Literal["open", "day", "instant"]


class Words:
    """The messages of `lang` and its way of writing days and times."""

    def __init__(self, lang: str, *, after_english: bool = False) -> None:
        self.lang = lang
        self.after_english = after_english  # the second half of an English briefing
        self._catalogue = translations(lang)
        self._rtl = direction(lang) == "rtl"
        self.shown_in_english = False  # some of the rules' text had no translation to show

    def rules(
        self, english: str, translated: Translated, name: str, *, naming: bool = False
    ) -> str:
        """The rules' `english` (their field `name`) in this language where they translate
        it (`translated`: an answer part's translations); else the English, noted. Used to
        name a thing (`naming`: a chart's row), a text stays itself after English too."""
        if self.lang == "en":
            return english
        said = translated.get(self.lang, {}).get(name)
        if said is None:
            self.shown_in_english = True
            return english if naming or name in _NAMES else self.english(english)
        return said

    def english(self, text: str) -> str:
        """Text the rules give only in English: as it is, or, after the same section in
        English, a pointer to it rather than the same words twice."""
        if not self.after_english:
            return text
        # TRANSLATORS: in a briefing in two languages, in place of a passage with no
        # translation: its English is in the same section just above
        return self._("(in English above)")

    def _(self, message: str, **values: object) -> str:
        """`message` in this language, with `values` put in."""
        return self._catalogue.gettext(message) % self._isolated(values)

    def title(self, message: str, **values: object) -> str:
        """`message` as a document's title, values as they are: the title reaches the PDF's
        metadata and bookmarks, where isolate characters would only be in the way."""
        return self._catalogue.gettext(message) % values

    def ngettext(self, singular: str, plural: str, number: int, **values: object) -> str:
        values.setdefault("num", number)
        return self._catalogue.ngettext(singular, plural, number) % self._isolated(values)

    def _isolated(self, values: dict[str, object]) -> dict[str, object]:
        """In a right-to-left language, each value but a number in first-strong isolates: an
        English claim or place name keeps its own order inside the sentence (Pango reads the
        characters); digits take the sentence's direction as they are."""
        if not self._rtl:
            return values
        return {
            name: value if isinstance(value, int) else f"\u2068{value}\u2069"
            for name, value in values.items()
        }

    def day(self, day: date) -> str:
        """'10 Feb 2026' in English, '10 فروری 2026' in Urdu."""
        if self.lang == "en":
            return format_day(day)  # the English briefings' own form, unchanged
        return format_date(day, "d MMMM y", locale=self.lang)

    def short_day(self, day: date) -> str:
        """A day without its year, for the chart's axis: '10 Feb'."""
        if self.lang == "en":
            return f"{day.day} {day:%b}"
        return format_date(day, "d MMM", locale=self.lang)

    def days(self, first: date, last: date) -> str:
        """One day, or a range of days both included."""
        if first == last:
            return self.day(first)
        return f"{self.day(first)} – {self.day(last)}"

    def instant(self, at: datetime, tz: ZoneInfo) -> str:
        """'1 Feb 2026 00:00' in `tz`."""
        if self.lang == "en":
            return format_instant(at, tz)
        return format_datetime(at.astimezone(tz), "d MMMM y HH:mm", locale=self.lang)

    def span(self, start: datetime, end: datetime | None, tz: ZoneInfo) -> str:
        """From `start` until `end` (exclusive), or until further notice; an end at midnight
        reads as the end of the day before, as orders word it."""
        begins = self.instant(start, tz)
        kind, until = self.until(end, tz)
        if kind == "open":
            # TRANSLATORS: a period with no end date: '1 Feb 2026 00:00 until further notice'
            return self._("%(start)s until further notice", start=begins)
        if kind == "day":
            # TRANSLATORS: a period ending with a day: '1 Feb 2026 00:00 until end of 28 Feb 2026'
            return self._("%(start)s until end of %(day)s", start=begins, day=until)
        # TRANSLATORS: a period that ends at a time: '1 Feb 2026 00:00 until 20 Feb 2026 14:00'
        return self._("%(start)s until %(end)s", start=begins, end=until)

    def until(self, end: datetime | None, tz: ZoneInfo) -> tuple[Ending, str]:
        """How an end (exclusive) is said, for a sentence to pick its words by: none (until
        further notice), a midnight (the end of the day before, as orders word it: that day
        written here), or an instant (written here)."""
        if end is None:
            return "open", ""
        at = end.astimezone(tz)
        if at.timetz().replace(tzinfo=None) == time(0):
            return "day", self.day(at.date() - timedelta(days=1))
        return "instant", self.instant(at, tz)

    def join(self, items: Iterable[str]) -> str:
        """Items of a list, with the comma of the language: ', ' or Urdu's '، '."""
        return ("، " if self.lang == "ur" else ", ").join(items)

    def weekday(self, day: str) -> str:
        """A weekday ('mon' ... 'sun') by its name: 'Mon' in English, 'پیر' in Urdu."""
        if self.lang == "en":
            return day.capitalize()  # as the English windows have always named it
        return str(get_day_names("wide", locale=self.lang)[_WEEKDAYS.index(day)])


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# What names a thing (an order's title, a kind's label): shown in English even after English,
# so that a reader can tell which is which.
_NAMES = frozenset(("order_title", "label"))
