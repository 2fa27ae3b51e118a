"""Analysts' text in the languages briefings are written in besides English.

An entry whose text a traveller reads may carry `translations: {ur: {title: ...}}`: for each
language, some of the entry's own fields, each the translation of what the entry says in
English. The English stays the record that is checked, compared and evaluated; a translation
only travels with it to the answer, and is dropped when an amendment rewrites the English it
translates (`rewritten`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pydantic import ValidationError, ValidationInfo, field_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from advisories.model.values import Entry

# The languages rendered besides English; the render's own list of languages starts from it.
TRANSLATED_LANGUAGES: tuple[str, ...] = ("ur",)

Translations = dict[str, dict[str, str]]  # language -> field -> text
TRANSLATION_ERROR = "translation"  # the type of the errors below, whose messages are final


class Translatable(Entry):
    """An entry some of whose text may be translated: `TRANSLATABLE` names those fields.

    Each subclass declares `translations: Translations | None = None` as its last field, so
    that the check below sees every other field already validated; left out, it costs
    nothing, as no validator runs for a default.
    """

    TRANSLATABLE: ClassVar[tuple[str, ...]]

    @field_validator("translations", check_fields=False)
    @classmethod
    def _translations(cls, value: Translations | None, info: ValidationInfo) -> Translations | None:
        return checked_translations(value, info.data, cls.TRANSLATABLE)


def checked_translations(
    value: Translations | None, entry: Mapping[str, Any], translatable: tuple[str, ...]
) -> Translations | None:
    """`value` (None when it gives nothing) if every language is one we render, every field
    translatable and given in English by `entry` (its fields validated so far), and no text
    empty; otherwise a ValidationError with one error at each offending key."""
    if not value:
        return None
    errors: list[InitErrorDetails] = []
    for language, fields in value.items():
        if language not in TRANSLATED_LANGUAGES:
            known = ", ".join(TRANSLATED_LANGUAGES)
            message = f"unknown language {language!r} in translations (known: {known})"
            errors.append(_error((language,), message))
            continue
        if not fields:
            message = (
                f"{language!r} translates nothing; give some of {', '.join(translatable)}, "
                f"or leave {language!r} out"
            )
            errors.append(_error((language,), message))
        for name, text in fields.items():
            problem = _field_problem(name, text, entry, translatable)
            if problem is not None:
                errors.append(_error((language, name), problem))
    if errors:
        raise ValidationError.from_exception_data("translations", errors)
    return value


def _field_problem(
    name: str, text: str, entry: Mapping[str, Any], translatable: tuple[str, ...]
) -> str | None:
    if name not in translatable:
        return f"{name!r} cannot be translated here (translatable: {', '.join(translatable)})"
    if name in entry and entry[name] is None:  # absent from `entry`: refused already
        return f"{name!r} cannot be translated here: the entry gives no {name!r} in English"
    if not text.strip():
        return f"the translation of {name!r} is empty; write it, or leave {name!r} out"
    return None


def _error(at: tuple[str, ...], message: str) -> InitErrorDetails:
    # The message goes in as a value, so that braces in a language code stay as written.
    problem = PydanticCustomError(TRANSLATION_ERROR, "{message}", {"message": message})
    return InitErrorDetails(type=problem, loc=at, input=at[-1])


def rewritten(
    translations: Translations | None, changed: Iterable[str], new: Translations | None
) -> Translations | None:
    """The translations of an entry whose English fields `changed` were rewritten, with
    `new` the rewrite's own: a translation of English that is gone is dropped, never kept
    beside the new English."""
    changed = frozenset(changed)
    merged: Translations = {}
    for language in TRANSLATED_LANGUAGES:
        kept = {
            name: text
            for name, text in (translations or {}).get(language, {}).items()
            if name not in changed
        }
        kept.update((new or {}).get(language, {}))
        if kept:
            merged[language] = kept
    return merged or None
