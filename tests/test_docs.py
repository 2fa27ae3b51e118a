"""The documentation keeps up with the code: schemas, the worked example, every field named."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import types
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pydantic import BaseModel

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.answer import Answer
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
from tests.conftest import ROOT, script_module

DOCS = ROOT / "docs"
schema = script_module("docs", "make_schemas")
GAZETTEER = ROOT / "rules" / "PK" / "gazetteer.yaml"
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


def first_yaml_block(markdown: str) -> str:
    found = re.search(r"^```yaml\n(.*?)^```$", markdown, flags=re.DOTALL | re.MULTILINE)
    assert found is not None, "docs/rules.md has no ```yaml block"
    return found.group(1)


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


def fields_of(model: type) -> dict[str, Any]:
    """Field names as written in YAML/JSON, with their annotations: pydantic or dataclass."""
    if issubclass(model, BaseModel):
        return {info.alias or name: info.annotation for name, info in model.model_fields.items()}
    assert dataclasses.is_dataclass(model), model
    hints = typing.get_type_hints(model)
    return {f.name: hints[f.name] for f in dataclasses.fields(model)}


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
