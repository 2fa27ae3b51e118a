"""The API against its own OpenAPI document: requests that schemathesis draws from
/openapi.json get no 5xx, and every answer has a documented status, content type and body.

The app is reached in-process over ASGI, over the bundled rules; the examples are bounded and
derandomized, so a run tests the same requests every time.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import settings
from schemathesis import Case, CheckFunction
from schemathesis.specs.openapi.checks import positive_data_acceptance

from advisories.load.tree import load_rules
from advisories.web.app import create_app
from tests.conftest import ROOT

RULES = load_rules(ROOT / "rules")
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(lambda: RULES))

# A request the document allows may still be refused with 422: OpenAPI cannot say that `at`,
# `on` and `from` exclude each other, that `to` comes with `from` and after it, that a kind is
# one of the loaded rules' or that a string is a date in the years rules cover. The other
# default checks stand, negative_data_rejection among them (what the document forbids is 4xx).
NOT_EXPRESSIBLE: list[CheckFunction] = [positive_data_acceptance]


@schema.parametrize()
@settings(max_examples=50, deadline=None, derandomize=True)
def test_every_operation_keeps_to_its_schema(case: Case[Any]) -> None:
    case.call_and_validate(excluded_checks=NOT_EXPRESSIBLE)


KARACHI = {"place": "Karachi", "from": "2026-02-08", "to": "2026-02-09"}
QUETTA_BY_AIR = {"place": "UET", "from": "2026-02-10", "to": "2026-02-12"}
LAHORE_WEEK = {"place": "Lahore", "from": "2025-10-15", "to": "2025-10-20"}


# Drawn requests rarely name a real place, so these real questions make sure that answers,
# not only refusals, are held to the document.
@pytest.mark.parametrize(
    ("method", "path", "query", "body", "status"),
    [
        ("GET", "/api/v1/check", {"place": "Quetta", "on": "2026-02-10"}, None, 200),
        ("GET", "/api/v1/check", LAHORE_WEEK, None, 200),
        ("GET", "/api/v1/check", {"place": "Tokyo", "at": "2026-02-10T12:00"}, None, 200),
        ("GET", "/api/v1/check", {"place": "Quetta"}, None, 200),
        ("GET", "/api/v1/check", {"place": "Queta", "on": "2026-02-10"}, None, 404),
        ("GET", "/api/v1/check", {"place": "Quetta", "on": "2026-02-30"}, None, 422),
        ("GET", "/api/v1/orders", {"as_of": "2026-11-26"}, None, 200),
        ("GET", "/api/v1/orders", {"region": "Lahore", "kind": "drones"}, None, 200),
        ("GET", "/api/v1/orders", {"region": "Nowhere-at-all"}, None, 404),
        ("GET", "/api/v1/regions", {"q": "Karachi"}, None, 200),
        ("GET", "/api/v1/health", {}, None, 200),
        ("POST", "/api/v1/trip", {"as_of": "2026-02-15"}, {"legs": [KARACHI, QUETTA_BY_AIR]}, 200),
        ("POST", "/api/v1/trip", {}, {"legs": [{"place": "Quetta"}]}, 422),
        ("POST", "/api/v1/trip", {}, {"legs": [{**KARACHI, "place": "Nowhere-at-all"}]}, 404),
    ],
)
def test_real_answers_keep_to_the_schema(
    method: str, path: str, query: dict[str, str], body: dict[str, Any] | None, status: int
) -> None:
    operation = schema[path][method]
    case = operation.Case(query=query) if body is None else operation.Case(query=query, body=body)
    response = case.call_and_validate(excluded_checks=NOT_EXPRESSIBLE)
    assert response.status_code == status, response.text


def test_checks_answer_is_described_by_docs_answer_schema() -> None:
    """One description of the answer: /check's, in /openapi.json, is docs/answer.schema.json."""
    document = schema.raw_schema
    answer = json.loads((ROOT / "docs" / "answer.schema.json").read_text("utf-8"))
    ok = document["paths"]["/api/v1/check"]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"] == {"$ref": "#/components/schemas/Answer"}
    served = json.loads(
        json.dumps(document["components"]["schemas"]).replace("#/components/schemas/", "#/$defs/")
    )
    for name, definition in answer["$defs"].items():
        assert served[name] == definition, name
    top = {k: v for k, v in answer.items() if k not in {"$defs", "$schema", "title", "description"}}
    assert {k: v for k, v in served["Answer"].items() if k not in {"title", "description"}} == top
