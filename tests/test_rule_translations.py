"""Translations in the rules: what the format takes, and what answers carry.

Each format error has its own file in tests/fixtures/invalid/translation-*.yaml, checked with
the loader's other errors (test_loader_errors.py); both loader paths read the translated files
alike (test_loader_paths.py reads the bundled rules and tests/fixtures/valid/).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import RestrictionOut
from advisories.load import reader
from advisories.load.tree import load_rules
from advisories.model.translations import TRANSLATED_LANGUAGES
from tests.conftest import FIXTURES, ROOT, ask

GAZETTEER = ROOT / "rules" / "PK" / "gazetteer.yaml"
TRANSLATED = FIXTURES / "valid" / "translations.yaml"


@pytest.fixture(scope="module")
def translated() -> RuleSet:
    return load_rules(GAZETTEER, TRANSLATED)


def restriction(rules: RuleSet, key: str, on: str) -> RestrictionOut:
    found = {r.id: r for r in ask(rules, "Quetta", on=on).restrictions}
    return found[key]


def urdu(part: Any) -> dict[str, str]:
    return dict(part.translations.get("ur", {}))


def kind_urdu(rules: RuleSet, kind: str) -> dict[str, str]:
    return (rules.kinds[kind].translations or {})["ur"]


def test_urdu_is_the_language_rendered_besides_english() -> None:
    assert TRANSLATED_LANGUAGES == ("ur",)


def test_an_orders_translations_reach_its_restrictions_answers(translated: RuleSet) -> None:
    pillion = restriction(translated, "translated/pillion", "2026-03-05")
    assert pillion.text == "Pillion riding on motorcycles"
    assert urdu(pillion) == {
        "order_title": "ڈبل سواری اور رنگین شیشوں پر پابندی",
        "label": "موٹر سائیکل پر ڈبل سواری",  # from the kinds registry
        "text": "موٹر سائیکل پر ڈبل سواری",
        "advice": kind_urdu(translated, "pillion-riding")["advice"],
        "guidance": "پیدل چلیں یا گاڑی استعمال کریں",  # the restriction's own, not the kind's
        "note": "ضلعی دفتر سے تصدیق شدہ",
    }
    (ambulances,) = pillion.exemptions
    assert urdu(ambulances) == {"text": "ایمبولینسیں"}
    (correction,) = pillion.corrections
    assert urdu(correction) == {
        "summary": "پہلا دن 2 مارچ درج ہوا تھا؛ نوٹیفکیشن کے مطابق یکم مارچ ہے"
    }


def test_a_restriction_without_text_shows_its_kinds_label_in_urdu(translated: RuleSet) -> None:
    weapons = restriction(translated, "translated/weapons", "2026-03-05")
    label = kind_urdu(translated, "weapons")["label"]
    assert weapons.text == weapons.label
    assert urdu(weapons)["text"] == urdu(weapons)["label"] == label


def test_new_english_without_a_translation_has_no_urdu_text(translated: RuleSet) -> None:
    before = restriction(translated, "translated/pillion", "2026-03-09")
    after = restriction(translated, "translated/pillion", "2026-03-12")
    assert "text" in urdu(before)
    assert after.text == "Pillion riding on motorcycles, women and children excepted"
    assert "text" not in urdu(after)  # never the old text's Urdu beside the new English
    assert urdu(after)["guidance"] == "پیدل چلیں یا گاڑی استعمال کریں"  # not rewritten: kept
    assert urdu(after)["label"] == urdu(before)["label"]


def test_new_english_with_its_translation_carries_it(translated: RuleSet) -> None:
    before = restriction(translated, "translated/tint", "2026-03-09")
    after = restriction(translated, "translated/tint", "2026-03-12")
    assert urdu(before)["text"] == "رنگین شیشوں والی گاڑیاں"
    assert after.text == "Vehicles with tinted or blackened windows"
    assert urdu(after)["text"] == "رنگین یا کالے شیشوں والی گاڑیاں"
    (amendment,) = after.amendments
    assert urdu(amendment) == {"note": "کالے شیشے بھی شامل کیے گئے"}


def test_changes_carry_their_labels_translation(translated: RuleSet) -> None:
    answer = ask(translated, "Quetta", span=("2026-03-25", "2026-04-02"))
    ends = {c.restriction: c for c in answer.changes if c.event == "ends"}
    assert urdu(ends["translated/tint"]) == {"label": "رنگین شیشوں والی گاڑیاں"}
    assert ends["translated/tint"].label == "Vehicles with tinted windows"


def test_rules_without_translations_answer_with_the_shared_empty_mapping(
    amended: RuleSet,
) -> None:
    answer = ask(amended, "PK-BA", on="2026-03-05")
    assert answer.restrictions
    for found in answer.restrictions:
        assert set(found.translations.get("ur", {})) <= {"label", "text", "advice", "guidance"}
        assert all(e.translations == {} for e in found.exemptions)
        assert all(a.translations == {} for a in found.amendments)


def _letters(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c).startswith("L")]


def _in_urdu_script(text: str) -> bool:
    """Mostly Arabic-script letters: a Latin code or name (SMS) may stand among them."""
    letters = _letters(text)
    arabic = [c for c in letters if "ARABIC" in unicodedata.name(c, "")]
    return len(arabic) >= 0.9 * len(letters) > 0


def test_every_bundled_kind_has_urdu_label_advice_and_guidance(bundled: RuleSet) -> None:
    assert len(bundled.kinds) >= 16
    for kind in bundled.kinds.values():
        assert kind.translations is not None, kind.id
        ur = kind.translations["ur"]
        assert set(ur) == {"label", "advice", "guidance"}, kind.id
        for field, text in ur.items():
            assert text.strip() and _in_urdu_script(text), f"{kind.id}.{field}: {text!r}"
            assert text != getattr(kind, field)


def test_the_balochistan_february_orders_urdu_reaches_check_json() -> None:
    result = CliRunner().invoke(
        main, ["check", "Quetta", "--on", "2026-02-10", "--as-of", "2026-02-15", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    february = [r for r in answer["restrictions"] if r["order"] == "pk-ba-2026-02-s144"]
    assert len(february) == 6
    title = "31 جنوری 2026 کے حملوں کے بعد پورے بلوچستان میں ایک ماہ کے لیے دفعہ 144"
    for found in february:
        ur = found["translations"]["ur"]
        assert ur["order_title"] == title
        assert _in_urdu_script(ur["text"]), found["id"]
        assert {"label", "advice", "guidance"} <= set(ur)
    pillion = next(r for r in february if r["id"].endswith("/pillion-riding"))
    assert pillion["translations"]["ur"]["text"] == "موٹر سائیکلوں پر ڈبل سواری"
    (exemption,) = pillion["exemptions"]
    assert exemption["translations"] == {
        "ur": {"text": "موٹر سائیکل پر پیچھے بیٹھنے والی خواتین اور بچے"}
    }


def test_other_orders_stay_untranslated(bundled: RuleSet) -> None:
    translated = [o.id for o in bundled.orders.values() if o.translations is not None]
    assert translated == ["pk-ba-2026-02-s144"]


def test_the_cache_keeps_translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISORIES_CACHE", str(tmp_path / "cache"))
    first = load_rules(GAZETTEER, TRANSLATED)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although the cache holds these rules")

    monkeypatch.setattr(reader, "parse_tree", no_parsing)
    second = load_rules(GAZETTEER, TRANSLATED)
    assert second.orders["translated"].translations == first.orders["translated"].translations
    on = "2026-03-12"
    assert urdu(restriction(second, "translated/tint", on)) == urdu(
        restriction(first, "translated/tint", on)
    )


def test_a_trees_own_kind_brings_its_own_translations_or_none(tmp_path: Path) -> None:
    """A kind a tree overrides replaces the bundled one whole: the bundled Urdu of English the
    tree no longer uses is never shown."""
    kinds = tmp_path / "kinds.yaml"
    kinds.write_text(
        "kinds:\n"
        "  - id: weapons\n"
        "    label: Weapons in public\n"
        "    advice: Carry no weapon.\n"
        "    guidance: Weapons are banned in public.\n",
        encoding="utf-8",
    )
    rules = load_rules(GAZETTEER, TRANSLATED, kinds)
    weapons = restriction(rules, "translated/weapons", "2026-03-05")
    assert weapons.label == "Weapons in public"
    assert set(urdu(weapons)) == {"order_title", "note"}  # the order's: no label, no advice
