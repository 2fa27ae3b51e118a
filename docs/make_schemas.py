"""JSON Schemas of the rule format and of the JSON answer, written to docs/ for editors and tools.

`make docs` (python docs/make_schemas.py) regenerates docs/rules.schema.json and
docs/answer.schema.json; a test fails when the committed files fall behind the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from advisories.evaluation.answer import Answer
from advisories.model.rules import RuleFile
from advisories.output import write_atomically

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DOCS = Path(__file__).resolve().parent

# Window times are written '20:00' in the order's timezone. JSON Schema's "time" format (RFC 3339)
# demands seconds and a UTC offset, so editors would flag every correct window and accept the
# offset the loader refuses; a pattern says what the loader takes.
_WINDOW_TIME = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
    "description": "Local time in the order's timezone, quoted: '20:00'. No UTC offset.",
}


def rules_schema() -> dict[str, Any]:
    """The JSON Schema of one YAML rule file (field names as written in YAML)."""
    schema = RuleFile.model_json_schema(by_alias=True)
    window = schema["$defs"]["Window"]["properties"]
    for name in ("from", "to"):
        window[name] = {"title": window[name]["title"], **_WINDOW_TIME}
    return {
        "$schema": DRAFT,
        **schema,
        "title": "advisories rule file",
        "description": (
            "One YAML file of a rule tree (rules/<CC>/*.yaml); every section is optional. "
            "Checks that need the whole tree (known regions, kinds, sources, orders) are "
            "made by 'advisory validate'. See docs/rules.md."
        ),
    }


def answer_schema() -> dict[str, Any]:
    """The JSON Schema of `advisory check --format json` (the Answer model as serialised)."""
    schema = TypeAdapter(Answer).json_schema(mode="serialization")
    return {
        "$schema": DRAFT,
        **schema,
        "title": "advisories answer",
        "description": (
            "What is in force for one region over one instant, day or range. See docs/json.md."
        ),
    }


def render(schema: dict[str, Any]) -> str:
    """A schema as the text committed in docs/: indented, keys sorted, newline at the end."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(docs: Path = DOCS) -> None:
    """Write docs/rules.schema.json and docs/answer.schema.json."""
    for name, schema in (("rules", rules_schema()), ("answer", answer_schema())):
        path = docs / f"{name}.schema.json"
        write_atomically(path, render(schema).encode("utf-8"))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
