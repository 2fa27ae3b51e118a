"""The documentation keeps up with the code: schemas, the worked example, the real examples of
rules.md (each loads, validates and answers as its prose says), every field named."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import types
import typing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import Answer, RestrictionOut
from advisories.evaluation.evaluator import evaluate
from advisories.evaluation.query import days_query, instant_query
from advisories.load.tree import load_rules
from advisories.model.restrictions import Exemption, Restriction, Threshold, Window
from advisories.model.rules import (
    Amendment,
    ContextItem,
    Kind,
    Order,
    Place,
    RuleFile,
    Source,
    Validity,
)
from tests.conftest import ROOT, ask, script_module

DOCS = ROOT / "docs"
schema = script_module("docs", "make_schemas")
GAZETTEER = ROOT / "rules" / "PK" / "gazetteer.yaml"
PLACES = (GAZETTEER, ROOT / "rules" / "PK" / "IS" / "places.yaml")
ORDER = "pk-ba-kech-2026-03-s144"
KARACHI = "Asia/Karachi"
AS_OF = date(2026, 3, 23)  # the --as-of of the commands shown in docs/rules.md


def test_committed_schemas_match_the_models() -> None:
    for name, generated in (("rules", schema.rules_schema()), ("answer", schema.answer_schema())):
        path = DOCS / f"{name}.schema.json"
        committed = path.read_text(encoding="utf-8") if path.is_file() else ""
        assert committed == schema.render(generated), f"{path.name} is out of date: run make docs"


def test_schema_main_writes_both_files(tmp_path: Path) -> None:
    schema.main(tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["answer.schema.json", "rules.schema.json"]
    assert (tmp_path / "rules.schema.json").read_text(encoding="utf-8").endswith("}\n")


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```$", markdown, flags=re.DOTALL | re.MULTILINE)


def first_yaml_block(markdown: str) -> str:
    blocks = yaml_blocks(markdown)
    assert blocks, "docs/rules.md has no ```yaml block"
    return blocks[0]


def worked_example(tmp_path: Path) -> RuleSet:
    example = tmp_path / "kech-2026-03.yaml"
    doc = (DOCS / "rules.md").read_text(encoding="utf-8")
    example.write_text(first_yaml_block(doc), encoding="utf-8")
    return load_rules(example, GAZETTEER)


def test_the_worked_examples_commands_print_what_the_docs_show(tmp_path: Path) -> None:
    """`validate` and the week's `check`, run on the bundled tree with the example saved as
    the docs say, print exactly what docs/rules.md shows (but the rules version)."""
    tree = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", tree)
    doc = (DOCS / "rules.md").read_text(encoding="utf-8")
    (tree / "PK" / "kech-2026-03.yaml").write_text(first_yaml_block(doc), encoding="utf-8")
    for shown_command in (
        "advisory validate rules/",
        "advisory check Turbat --from 2026-03-20 --to 2026-03-27 --as-of 2026-03-23",
    ):
        start = doc.index(f"$ {shown_command}\n") + len(shown_command) + 3
        shown = doc[start : doc.index("```", start)]
        args = shown_command.split()[1:]
        args = [f"--rules={tree}" if a == "rules/" else a for a in args]
        if args[0] == "check":
            args.append(f"--rules={tree}")
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        version = re.compile(r"rules version [0-9a-f]{12}|rules [0-9a-f]{12}")
        assert version.sub("rules V", result.output) == version.sub("rules V", shown)
    # the instants: what the docs show between "..." is printed as shown, in one piece
    for at in ("2026-03-12T12:00", "2026-03-12T21:30", "2026-03-10T03:00"):
        command = f"$ advisory check Turbat --at {at} --as-of 2026-03-23\n"
        start = doc.index(command) + len(command)
        shown = doc[start : doc.index("...\n", start + 4)].removeprefix("...\n")
        args = ["check", "Turbat", "--at", at, "--as-of", "2026-03-23", f"--rules={tree}"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and shown and shown in result.output, at


def test_worked_example_loads_and_answers_as_shown(tmp_path: Path) -> None:
    rules = worked_example(tmp_path)
    assert list(rules.orders) == [ORDER]
    turbat = rules.gazetteer.resolve("Turbat")
    week = days_query(date(2026, 3, 20), date(2026, 3, 27), KARACHI)
    answer = evaluate(rules, turbat, week, as_of=AS_OF)
    found = {r.id: r for r in answer.restrictions}
    assert set(found) == {f"{ORDER}/curfew", f"{ORDER}/gatherings"}
    curfew, gatherings = found[f"{ORDER}/curfew"], found[f"{ORDER}/gatherings"]
    # "until end of 10 Apr 2026": the extension moved the end from 25 March.
    assert curfew.end == datetime.fromisoformat("2026-04-11T00:00:00+05:00")
    assert curfew.windows == ["daily 20:00–06:00"]
    assert curfew.matched_region.relation == "contains"
    assert (
        gatherings.threshold is not None and gatherings.threshold.as_written == "5 or more people"
    )
    assert [(e.status, e.applies) for e in gatherings.exemptions] == [("proposed", False)]
    assert [(c.event, c.at.date()) for c in answer.changes] == [("amended", date(2026, 3, 22))] * 2
    assert [c.id for c in answer.context] == ["example-turbat-checkpoint-2026-03-08"]
    assert not any(r.stale for r in answer.restrictions)


def test_worked_example_curfew_counts_only_during_its_hours(tmp_path: Path) -> None:
    rules = worked_example(tmp_path)
    turbat = rules.gazetteer.resolve("Turbat")

    def kinds_at(at: str) -> list[str]:
        query = instant_query(datetime.fromisoformat(at), KARACHI)
        return sorted(r.kind for r in evaluate(rules, turbat, query, as_of=AS_OF).restrictions)

    assert kinds_at("2026-03-12T12:00") == ["gatherings"]
    assert kinds_at("2026-03-12T21:30") == ["curfew", "gatherings"]
    assert kinds_at("2026-03-10T03:00") == ["gatherings"]  # not the night before the first day


def rules_md_blocks() -> list[str]:
    return yaml_blocks((DOCS / "rules.md").read_text(encoding="utf-8"))


def test_every_yaml_block_validates_in_the_bundled_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ```yaml block of docs/rules.md passes `advisory validate rules/` as a user would run
    it: an example saved beside the gazetteer and the Islamabad places it names (several
    examples are bundled orders too, and the same order twice in one tree is rightly an
    error); the coverage block in place of the bundled rules' own, which it shows."""
    blocks = rules_md_blocks()
    assert len(blocks) == 12
    for number, block in enumerate(blocks, start=1):
        folder = tmp_path / str(number)
        if block.startswith("coverage:"):
            shutil.copytree(ROOT / "rules", folder / "rules")
            (folder / "rules" / "PK" / "BA" / "coverage.yaml").write_text(block, "utf-8")
        else:
            for kept in PLACES:
                (folder / "rules" / "PK").mkdir(parents=True, exist_ok=True)
                shutil.copy(kept, folder / "rules" / "PK" / kept.name.replace("places", "IS"))
            (folder / "rules" / "PK" / f"example-{number}.yaml").write_text(block, "utf-8")
        monkeypatch.chdir(folder)
        result = CliRunner().invoke(main, ["validate", "rules/"])
        assert result.exit_code == 0, f"block {number}: {result.output}"
        assert result.output.startswith("ok: "), result.output


def test_the_coverage_block_is_the_bundled_coverage() -> None:
    (block,) = [b for b in rules_md_blocks() if b.startswith("coverage:")]
    bundled = (
        (ROOT / "rules" / "PK" / "BA" / "coverage.yaml").read_text(encoding="utf-8").splitlines()
    )
    # the block may cut a long list or note short: "# ..." lines, and "..." after its start
    shown = [line for line in block.splitlines() if line.strip() != "# ..." and "# ..." not in line]
    whole = "\n".join(bundled)
    assert [
        line for line in shown if line not in bundled and line.split(" ...")[0] not in whole
    ] == []


def test_every_example_loads_beside_the_gazetteer_alone(tmp_path: Path) -> None:
    examples = [b for b in rules_md_blocks()[1:] if not b.startswith("coverage:")]
    assert len(examples) == 10
    for number, block in enumerate(examples, start=1):
        path = tmp_path / f"example-{number}.yaml"
        path.write_text(block, encoding="utf-8")
        assert load_rules(path, *PLACES).orders, block[:80]


def doc_example(tmp_path: Path, order: str) -> RuleSet:
    """The ```yaml block of docs/rules.md that defines `order`, saved and loaded as a user
    would: beside the bundled gazetteer and Islamabad's places."""
    (block,) = [b for b in rules_md_blocks() if f"\n  - id: {order}\n" in b]
    path = tmp_path / f"{order}.yaml"
    path.write_text(block, encoding="utf-8")
    return load_rules(path, *PLACES)


PKT = timezone(timedelta(hours=5))


def short_ids(answer: Answer) -> list[str]:
    """The restriction ids of an answer without their order's id, sorted."""
    return sorted(r.id.split("/", 1)[1] for r in answer.restrictions)


def test_punjab_exempts_for_the_whole_order_and_keeps_the_other_account(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-pb-2025-10-s144")
    answer = ask(rules, "Lahore", on="2025-10-12")
    assert short_ids(answer) == ["gatherings", "hate-material", "loudspeakers", "weapons"]
    exempt = ["Weddings", "Funerals and burials", "Government officers and officials on duty"]
    for restriction in answer.restrictions:
        assert [(e.text, e.order_wide) for e in restriction.exemptions] == [
            (text, True) for text in [*exempt, "Courts"]
        ]
        assert [(d.about, d.order_wide) for d in restriction.disputes] == [
            ("exemptions", True),
            ("start", True),
        ]
        assert "courts" in restriction.disputes[0].claim
    assert ask(rules, "Lahore", on="2025-10-19").restrictions == []


def test_contents_not_reported_and_partly_reported(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-kp-peshawar-2025-01-s144")
    peshawar = ask(rules, "Peshawar", on="2025-01-29")
    assert peshawar.restrictions == []
    assert [(u.order, u.contents) for u in peshawar.unreported] == [
        ("pk-kp-peshawar-2025-01-s144", "not_reported")
    ]
    assert ask(rules, "Peshawar", on="2025-01-30").unreported == []  # five days from the 25th
    islamabad = ask(rules, "Islamabad", on="2026-03-01")
    assert [r.kind for r in islamabad.restrictions] == ["gatherings"]
    assert [(u.contents, u.end) for u in islamabad.unreported] == [("partly_reported", None)]


def test_sindh_names_its_penalty_and_the_disputed_threshold(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-sd-2025-10-s144")
    (gatherings,) = ask(rules, "Karachi", on="2025-11-11").restrictions  # P1M: to 11 November
    assert gatherings.penalty is not None
    assert "section 188 of the Pakistan Penal Code" in gatherings.penalty
    assert gatherings.threshold is not None
    assert (gatherings.threshold.min_people, gatherings.threshold.as_written) == (
        6,
        "more than 5 people",
    )
    assert [(d.about, d.claim) for d in gatherings.disputes] == [
        ("threshold", "Five or more people")
    ]
    assert ask(rules, "Karachi", on="2025-11-12").restrictions == []


def test_balochistan_data_suspension_disputed_end_and_partial_restoration(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-ba-2025-08-mobile-data")
    (data,) = ask(rules, "Quetta", on="2025-08-21").restrictions
    assert data.kind == "internet"
    assert [(d.about, d.claim) for d in data.disputes] == [("end", "Until 15 August")]
    assert ask(rules, "Quetta", on="2025-08-22").restrictions == []
    assert ask(rules, "Pishin", on="2025-08-22").restrictions == []
    assert [r.kind for r in ask(rules, "Kalat", on="2025-08-31").restrictions] == ["internet"]
    assert ask(rules, "Kalat", on="2025-09-01").restrictions == []


def test_quetta_division_and_an_end_defined_by_the_processions(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-ba-quetta-2023-muharram-mobile")

    def kinds(place: str, at: str) -> list[str]:
        return sorted(r.kind for r in ask(rules, place, at=f"{at}+05:00").restrictions)

    assert kinds("Quetta", "2023-07-27T12:00") == ["pillion-riding"]  # 8 Muharram: no cut
    assert kinds("Quetta", "2023-07-28T10:00") == ["mobile-network", "pillion-riding"]
    assert kinds("Quetta", "2023-07-28T21:00") == ["pillion-riding"]
    late = ask(rules, "Quetta", at="2023-07-29T21:00+05:00")
    (mobile,) = [r for r in late.restrictions if r.kind == "mobile-network"]
    assert mobile.end == datetime(2023, 7, 30, tzinfo=PKT)
    assert mobile.end_event == "until the processions of 10 Muharram end"
    assert mobile.end_assumption is not None
    assert kinds("Pishin", "2023-07-31T23:59") == ["pillion-riding"]  # in Quetta Division
    assert kinds("Pishin", "2023-08-01T00:00") == []
    assert kinds("Kalat", "2023-07-31T12:00") == []  # Kalat Division


def test_islamabad_hours_by_sector_on_one_day_and_across_midnight(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-is-2023-muharram-mobile")

    def cut(place: str, at: str) -> list[str]:
        return short_ids(ask(rules, place, at=f"{at}+05:00"))

    assert cut("I-10", "2023-07-28T17:59") == []
    assert cut("I-10", "2023-07-29T03:00") == ["i10"]  # the window of the 28th, past midnight
    assert cut("I-10", "2023-07-29T06:00") == []
    assert cut("G-7", "2023-07-28T23:00") == []
    (g7,) = ask(rules, "G-7", at="2023-07-28T12:00+05:00").restrictions
    assert g7.id.endswith("/g6-g7")
    assert [(d.about, d.claim) for d in g7.disputes] == [("other", "From 13:00 to 22:00")]
    assert cut("G-7", "2023-07-30T12:00") == []
    assert cut("Bari Imam", "2023-07-30T12:00") == ["bari-imam"]
    assert [r.status for r in ask(rules, "Islamabad", on="2023-07-28").restrictions] == [
        "partial",
        "partial",
    ]


def test_sindh_days_per_district_and_the_correction_of_our_record(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-sd-2023-rabi-ul-awwal-pillion")

    def status(place: str, day: str) -> list[str]:
        return [r.status for r in ask(rules, place, on=day).restrictions]

    assert status("Karachi East", "2023-09-25") == ["in_force"]  # 8 Rabi-ul-Awwal
    assert status("Karachi East", "2023-09-26") == []
    assert status("Karachi Central", "2023-09-25") == []
    assert status("Karachi Central", "2023-09-28") == ["in_force"]
    assert status("Keamari", "2023-09-24") == ["in_force"]  # South zone: 7 Rabi-ul-Awwal
    assert status("Karachi", "2023-09-25") == ["partial"]
    assert status("Karachi West", "2023-09-29") == []
    (pillion,) = ask(rules, "Karachi East", on="2023-09-29", as_of=date(2026, 11, 26)).restrictions
    assert [e.text for e in pillion.exemptions][:2] == ["Women", "Children under 12"]
    assert [c.recorded for c in pillion.corrections] == [date(2026, 11, 26)]
    (before,) = ask(rules, "Karachi East", on="2023-09-29", as_of=date(2026, 11, 25)).restrictions
    assert before.corrections == []


def test_punjab_muharram_sites_and_two_hijri_days(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-pb-2025-muharram-s144")
    assert "pillion" not in short_ids(ask(rules, "Lahore", on="2025-07-04"))  # 8 Muharram
    ninth = ask(rules, "Lahore", on="2025-07-05")
    found = {r.id.split("/", 1)[1]: r for r in ninth.restrictions}
    assert [e.text for e in found["pillion"].exemptions] == [
        "Elderly citizens",
        "Women",
        "Law enforcement personnel",
    ]
    assert found["pillion"].as_written == "from 1st to 10th Muharram (June 27 to July 6)"
    assert [w.description for w in found["weapons"].within] == ["in public places"]
    assert [w.description for w in found["rooftops"].within] == [
        "along the routes of Muharram processions"
    ]
    assert ask(rules, "Lahore", on="2025-07-07").restrictions == []


def test_balochistan_extension_under_144_6_and_a_change_at_midnight(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-ba-2025-08-16-s144")

    def face(at: str) -> RestrictionOut:
        answer = ask(rules, "Quetta", at=f"{at}+05:00")
        (found,) = [r for r in answer.restrictions if r.kind == "face-covering"]
        return found

    before, after = face("2025-08-30T23:59:59"), face("2025-08-31T00:00:00")
    assert before.id == after.id and before.start == after.start
    assert before.text == "Motorcycle riders covering their faces with masks or cloth"
    assert after.text.startswith("Covering the face in public places")
    (extension,) = [a for a in after.amendments if a.action == "extend"]
    assert extension.legal_basis == "Section 144(6), Code of Criminal Procedure 1898"
    assert extension.authority is not None and extension.authority.startswith("Government of")
    assert extension.note is not None and "third extension" in extension.note
    assert [s.id for s in extension.sources] == ["dawn-1938324-balochistan-s144"]
    assert "window-tint" not in [r.kind for r in ask(rules, "Quetta", on="2025-08-30").restrictions]
    last = ask(rules, "Quetta", on="2025-09-14")
    assert "window-tint" in [r.kind for r in last.restrictions]
    (gatherings,) = [r for r in last.restrictions if r.kind == "gatherings"]
    assert gatherings.threshold is not None and gatherings.threshold.min_people == 5
    assert [(d.about, d.claim) for d in gatherings.disputes] == [
        ("threshold", "More than five people")
    ]
    assert ask(rules, "Quetta", on="2025-09-15").restrictions == []


def test_new_kinds_dangerous_goods_and_night_public_transport(tmp_path: Path) -> None:
    rules = doc_example(tmp_path, "pk-ba-2025-11-s144")

    def kinds(day: str) -> list[str]:
        return sorted(r.kind for r in ask(rules, "Quetta", on=day).restrictions)

    assert kinds("2025-11-08") == ["gatherings", "weapons"]
    added = ["dangerous-goods", "face-covering", "pillion-riding"]
    added += ["unregistered-vehicles", "window-tint"]
    assert kinds("2025-11-10") == sorted(["gatherings", "weapons", *added])
    answer = ask(rules, "Quetta", on="2025-11-30")
    (pillion,) = [r for r in answer.restrictions if r.kind == "pillion-riding"]
    assert [e.text for e in pillion.exemptions] == ["Women", "Children"]
    assert pillion.penalty == "Action under section 188 of the Pakistan Penal Code"
    assert [d.about for d in pillion.disputes] == ["end", "end"]
    assert kinds("2025-12-01") == []
    (night,) = ask(rules, "Gwadar", at="2025-03-28T21:00+05:00").restrictions
    assert (night.kind, night.end) == ("public-transport", None)
    assert [w.description for w in night.within] == ["on the Makran Coastal Highway (N-10)"]
    assert ask(rules, "Gwadar", at="2025-06-01T12:00+05:00").restrictions == []
    early = ask(rules, "Gwadar", at="2025-06-01T05:59+05:00")  # the night of 31 May
    assert [r.kind for r in early.restrictions] == ["public-transport"]


def fields_of(model: type) -> dict[str, Any]:
    """Field names as written in YAML/JSON, with their annotations: pydantic or dataclass."""
    if issubclass(model, BaseModel):
        return {info.alias or name: info.annotation for name, info in model.model_fields.items()}
    assert dataclasses.is_dataclass(model), model
    hints = typing.get_type_hints(model)
    written = [f for f in dataclasses.fields(model) if f.metadata.get("written", True)]
    return {f.name: hints[f.name] for f in written}


def nested_models(model: type) -> set[type]:
    """`model` and every model or dataclass reachable through its fields' annotations."""
    found: set[type] = set()
    pending: list[type] = [model]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        for annotation in fields_of(current).values():
            pending += _models_in(annotation)
    return found


def _models_in(annotation: Any) -> list[type]:
    if isinstance(annotation, type) and (
        issubclass(annotation, BaseModel) or dataclasses.is_dataclass(annotation)
    ):
        return [annotation]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


def undocumented(models: set[type], doc: str) -> list[str]:
    text = (DOCS / doc).read_text(encoding="utf-8")
    names = {(model.__name__, field) for model in models for field in fields_of(model)}
    return sorted(f"{model}.{field}" for model, field in names if f"`{field}`" not in text)


def test_every_rule_field_is_in_rules_md() -> None:
    models = nested_models(RuleFile)
    listed = {Order, Validity, Restriction, Window, Threshold, Exemption, Amendment}
    listed |= {ContextItem, Place, Kind, Source}
    assert listed <= models
    assert undocumented(models, "rules.md") == []


def test_every_answer_field_is_in_json_md() -> None:
    models = nested_models(Answer)
    assert len(models) >= 12
    assert undocumented(models, "json.md") == []


def test_readme_python_example_runs_as_written() -> None:
    """In a fresh process, as a user pastes it; then with the CLI's modules imported first."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    assert "from advisories import" in code
    for before in (
        "",
        "import advisories.cli, advisories.evaluation.evaluator, advisories.briefing\n",
    ):
        done = subprocess.run(
            [sys.executable, "-c", before + code], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "Pillion riding on motorcycles" in done.stdout  # in force in Quetta that day


def test_json_md_writes_utc_as_answers_do() -> None:
    """docs/json.md says how UTC is written; an answer about an instant in UTC writes it so."""
    result = CliRunner().invoke(
        main, ["check", "GB", "--at", "2026-01-10T12:00Z", "--tz", "UTC", "--format", "json"]
    )
    assert json.loads(result.output)["query"]["start"] == "2026-01-10T12:00:00+00:00"
    assert "UTC is\n  written `+00:00` (never `Z`)" in (DOCS / "json.md").read_text("utf-8")
