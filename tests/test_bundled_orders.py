"""Every bundled order asked one question inside it and one just outside it on each side, kept
per province in tests/snapshots/bundled/ (as python-holidays keeps a file per country), so that
a wrong edit of an order's dates, places or bans shows up as a diff.

The questions are stored with their answers: a changed date changes the answer to the stored
question. After adding an order, or a deliberate change, rewrite them with
`UPDATE_SNAPSHOTS=1 make test` and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import Answer
from advisories.model.time import zone
from tests.conftest import ask, known

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "bundled"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


def _province(code: str) -> str:
    """PK-BA for PK-BA-QUETTA; PK for an order of the whole country."""
    return "-".join(code.split("-")[:2])


def _provinces(rules: RuleSet) -> list[str]:
    return sorted({_province(o.regions[0]) for o in rules.orders.values()})


def _questions(rules: RuleSet, order_id: str) -> dict[str, dict[str, str]]:
    """Its first day in force, the day before it, and the day after its last (if it ends),
    asked for the first region it names, local days in the order's timezone."""
    order = rules.orders[order_id]
    timelines = [t for t in rules.timelines if t.order.id == order_id and t.periods]
    tz = zone(order.timezone)
    starts = [t.periods[0].start for t in timelines]
    ends = [t.periods[-1].end for t in timelines]
    first: date = min(starts).astimezone(tz).date()
    place = order.regions[0]
    found = {"inside": {"place": place, "on": first.isoformat()}}
    found["before"] = {"place": place, "on": (first - timedelta(days=1)).isoformat()}
    if ends and all(e is not None for e in ends):
        last_end = max(e for e in ends if e is not None)
        after = (last_end - timedelta(microseconds=1)).astimezone(tz).date() + timedelta(days=1)
        found["after"] = {"place": place, "on": after.isoformat()}
    return found


def _what_holds(answer: Answer, order_id: str) -> dict[str, Any]:
    """What the answer says of this order: its restrictions in force, or its unreported
    contents, with where and until when."""
    mine = [r for r in answer.restrictions if r.order == order_id]
    unreported = [u for u in answer.unreported if u.order == order_id]
    return {
        "restrictions": sorted(f"{r.id} ({r.status})" for r in mine),
        "unreported": [u.contents for u in unreported],
        "until": sorted({r.end.isoformat() if r.end else "further notice" for r in mine}),
        "coverage": answer.coverage.status,
    }


def _answers(rules: RuleSet, province: str, stored: dict[str, Any]) -> dict[str, Any]:
    as_of = known(rules)
    orders = sorted(o for o in rules.orders if _province(rules.orders[o].regions[0]) == province)
    result: dict[str, Any] = {}
    for order_id in orders:
        questions = stored.get(order_id, {}).get("questions") if not UPDATE else None
        questions = questions or _questions(rules, order_id)
        answers = {
            name: _what_holds(ask(rules, q["place"], on=q["on"], as_of=as_of), order_id)
            for name, q in questions.items()
        }
        result[order_id] = {"questions": questions, "answers": answers}
    return result


@pytest.mark.parametrize("province", ["PK-BA", "PK-GB", "PK-IS", "PK-KP", "PK-PB", "PK-SD"])
def test_every_bundled_order_answers_inside_and_just_outside(
    bundled: RuleSet, province: str
) -> None:
    path = SNAPSHOTS / f"{province}.json"
    stored = json.loads(path.read_text("utf-8")) if path.exists() else {}
    answers = _answers(bundled, province, stored)
    if UPDATE:
        if answers:
            text = json.dumps(answers, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
            path.write_text(text, "utf-8")
        elif path.exists():
            path.unlink()
        return
    missing = sorted(set(answers) - set(stored))
    assert not missing, f"{province}: no stored questions for {missing}; UPDATE_SNAPSHOTS=1"
    assert sorted(stored) == sorted(answers), f"{province}: orders in the snapshot that are gone"
    for order_id, found in answers.items():
        assert found == stored[order_id], f"{province}: the answers for {order_id} changed"


def test_every_bundled_order_is_inside_one_kept_province(bundled: RuleSet) -> None:
    kept = {"PK-BA", "PK-GB", "PK-IS", "PK-KP", "PK-PB", "PK-SD"}
    assert set(_provinces(bundled)) <= kept, "add the province to the parametrized list"
    # and every order's answer inside it holds something of it
    for province in _provinces(bundled):
        stored = json.loads((SNAPSHOTS / f"{province}.json").read_text("utf-8"))
        for order_id, found in stored.items():
            inside = found["answers"]["inside"]
            assert inside["restrictions"] or inside["unreported"], order_id
            assert not found["answers"]["before"]["restrictions"], order_id
