"""The JSON API of `advisory serve`: the same answers as `advisory check --format json`,
cacheable by ETag, with errors as JSON and the right status."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.load.tree import load_rules
from advisories.web.app import create_app, files_signature
from tests.conftest import FIXTURES, ROOT, serving


@pytest.fixture(scope="module")
def client(bundled: RuleSet) -> Iterator[TestClient]:
    with TestClient(create_app(lambda: bundled)) as found:
        yield found


def test_check_answers_as_the_cli_does(client: TestClient) -> None:
    response = client.get("/api/v1/check", params={"place": "Quetta", "on": "2026-02-10",
                                                    "as_of": "2026-02-15"})  # fmt: skip
    assert response.status_code == 200
    args = ["check", "Quetta", "--on", "2026-02-10", "--as-of", "2026-02-15", "--format", "json"]
    cli = json.loads(CliRunner().invoke(main, [*args, f"--rules={ROOT / 'rules'}"]).output)
    assert response.json() == cli
    assert response.json()["coverage"]["status"] == "monitored"


def test_a_range_and_an_instant(client: TestClient) -> None:
    params = {"place": "Lahore", "from": "2025-10-15", "to": "2025-10-20", "as_of": "2026-01-01"}
    week = client.get("/api/v1/check", params=params)
    assert week.status_code == 200 and week.json()["query"]["kind"] == "range"
    assert any(r["order"] == "pk-pb-2025-10-s144" for r in week.json()["restrictions"])
    instant = client.get("/api/v1/check", params={"place": "Tokyo", "at": "2026-02-10T12:00"})
    assert instant.json()["coverage"]["status"] == "not_monitored"


def test_an_etag_answers_304_until_the_question_changes(client: TestClient) -> None:
    params = {"place": "Quetta", "on": "2026-02-10", "as_of": "2026-02-15"}
    first = client.get("/api/v1/check", params=params)
    etag = first.headers["etag"]
    again = client.get("/api/v1/check", params=params, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    other = client.get("/api/v1/check", params={**params, "on": "2026-02-11"},
                       headers={"If-None-Match": etag})  # fmt: skip
    assert other.status_code == 200 and other.headers["etag"] != etag


@pytest.mark.parametrize(
    ("sent", "status"),
    [
        ("W/{tag}", 304),  # as nginx's gzip sends it back: it marks the tags it compresses weak
        ('"other", {tag}', 304),
        ("*", 304),
        ('"other"', 200),
        ('W/"other"', 200),
    ],
)
def test_if_none_match_is_compared_weakly_and_may_name_several(
    client: TestClient, sent: str, status: int
) -> None:
    params = {"place": "Quetta", "on": "2026-02-10", "as_of": "2026-02-15"}
    tag = client.get("/api/v1/check", params=params).headers["etag"]
    answer = client.get("/api/v1/check", params=params,
                        headers={"If-None-Match": sent.format(tag=tag)})  # fmt: skip
    assert answer.status_code == status


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"place": "Queta", "on": "2026-02-10"}, 404, "Quetta"),
        ({"place": "Quetta", "on": "2026-02-30"}, 422, "'on'"),
        ({"place": "Quetta", "from": "2026-02-10", "to": "2026-02-01"}, 422, "'to'"),
        ({"place": "Quetta", "on": "2026-02-10", "at": "2026-02-10T12:00"}, 422, "'at'"),
        ({"place": "x" * 201, "on": "2026-02-10"}, 422, "at most 200"),
        ({"on": "2026-02-10"}, 422, "place"),
        ({"place": "Quetta", "from": "2026-01-01", "to": "2027-01-02"}, 422, "spans 367 days"),
    ],
)
def test_bad_questions_are_json_with_the_right_status(
    client: TestClient, params: dict[str, str], status: int, words: str
) -> None:
    response = client.get("/api/v1/check", params=params)
    assert response.status_code == status
    assert words in json.dumps(response.json())


def test_unknown_places_come_with_candidates(client: TestClient) -> None:
    body = client.get("/api/v1/check", params={"place": "Queta", "on": "2026-02-10"}).json()
    assert any("Quetta" in c for c in body["candidates"])


def test_regions_and_health(client: TestClient, bundled: RuleSet) -> None:
    found = client.get("/api/v1/regions", params={"q": "Karachi"}).json()
    assert found["regions"][0]["code"] == "PK-SD-KARACHI"
    assert found["regions"][0]["path"] == ["Pakistan", "Sindh", "Karachi Division", "Karachi"]
    health = client.get("/api/v1/health").json()
    assert health["rules_version"] == bundled.version and health["last_reload_error"] is None
    assert health["orders"] == len(bundled.orders)
    assert "/api/v1/check" in client.get("/openapi.json").json()["paths"]


def test_advisory_serve_answers_on_loopback_and_stops(tmp_path: Path) -> None:
    """The command a user runs: started here on a free port, asked once, then stopped."""
    with (
        serving("--rules", str(ROOT / "rules"), log=tmp_path / "serve.log") as port,
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health") as response,
    ):
        health = json.loads(response.read())
    assert health["status"] == "ok"


def test_orders_with_their_status_and_filters(client: TestClient, bundled: RuleSet) -> None:
    everything = client.get("/api/v1/orders", params={"as_of": "2026-11-26"}).json()
    assert everything["count"] == len(bundled.orders)
    statuses = {o["status"] for o in everything["orders"]}
    assert statuses <= {"in_force", "upcoming", "ended", "revoked"} and "ended" in statuses
    punjab = client.get("/api/v1/orders", params={"region": "Lahore", "kind": "drones"}).json()
    assert punjab["count"] >= 1
    assert all("drones" in o["kinds"] for o in punjab["orders"])
    assert "pk-pb-2026-02-drones" in {o["id"] for o in punjab["orders"]}
    feb = next(o for o in everything["orders"] if o["id"] == "pk-ba-2026-02-s144")
    assert (feb["status"], feb["start"], feb["end"]) == (
        "ended", "2026-02-01T00:00:00+05:00", "2026-03-01T00:00:00+05:00",
    )  # fmt: skip
    bad = client.get("/api/v1/orders", params={"kind": "parades"})
    assert bad.status_code == 422 and "unknown kind 'parades'" in bad.json()["error"]
    assert client.get("/api/v1/orders", params={"status": "sleeping"}).status_code == 422


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/api/v1/health", "/api/v1/check?place=Nowhere-at-all&on=2026-02-10", "/nope"):
        headers = client.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    assert "cdn.jsdelivr.net" in client.get("/docs").headers["content-security-policy"]


def health_once(client: TestClient, reached: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """/api/v1/health once it says what `reached` looks for (within ten seconds)."""
    deadline = time.monotonic() + 10
    while True:
        health: dict[str, Any] = client.get("/api/v1/health").json()
        if reached(health) or time.monotonic() > deadline:
            return health
        time.sleep(0.1)


def test_an_edit_is_served_and_a_broken_one_keeps_the_last_good_rules(tmp_path: Path) -> None:
    tree = tmp_path / "rules"
    tree.mkdir()
    shutil.copy(ROOT / "rules" / "PK" / "gazetteer.yaml", tree / "gazetteer.yaml")
    shutil.copy(ROOT / "rules" / "PK" / "IS" / "places.yaml", tree / "places.yaml")
    order = tree / "order.yaml"
    order.write_text((FIXTURES / "valid" / "within.yaml").read_text("utf-8"), "utf-8")
    app = create_app(lambda: load_rules(tree), lambda: files_signature([tree]))
    with TestClient(app) as client:
        first = client.get("/api/v1/health").json()
        assert first["last_reload_error"] is None
        order.write_text(order.read_text("utf-8").replace("last_day: 2026-01-18", "last_dya: 1"))
        # the files are looked at every two seconds, by a thread of their own
        broken = health_once(client, lambda h: h["last_reload_error"] is not None)
        assert broken["rules_version"] == first["rules_version"]  # still the last good rules
        assert "order.yaml" in broken["last_reload_error"]
        answer = client.get("/api/v1/check", params={"place": "PK-IS", "on": "2025-12-01"})
        assert answer.status_code == 200 and answer.json()["restrictions"]
        order.write_text(order.read_text("utf-8").replace("last_dya: 1", "last_day: 2025-12-31"))
        mended = health_once(client, lambda h: h["last_reload_error"] is None)
        assert mended["last_reload_error"] is None
        assert mended["rules_version"] != first["rules_version"]


def test_a_trip_of_legs_is_answered_leg_by_leg(client: TestClient) -> None:
    legs = [
        {"place": "Karachi", "from": "2026-02-08", "to": "2026-02-09"},
        {"place": "Quetta", "from": "2026-02-10", "to": "2026-02-12"},
    ]
    response = client.post("/api/v1/trip", params={"as_of": "2026-02-15"}, json={"legs": legs})
    assert response.status_code == 200
    answered = response.json()["legs"]
    assert [(leg["leg"], leg["answer"]["region"]["code"]) for leg in answered] == [
        (1, "PK-SD-KARACHI"),
        (2, "PK-BA-QUETTA-QUETTA"),
    ]
    assert any(r["order"] == "pk-ba-2026-02-s144" for r in answered[1]["answer"]["restrictions"])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"legs": []}, 422),
        ({"legs": [{"place": "Quetta", "from": "2026-02-12", "to": "2026-02-10"}]}, 422),
        ({"legs": [{"place": "Quetta", "from": "2026-02-10", "to": "2026-02-11"}] * 51}, 422),
        ({"legs": [{"place": "Nowhere-at-all", "from": "2026-02-10", "to": "2026-02-11"}]}, 404),
        ({"legs": [{"place": "Quetta", "from": "2026-02-10", "to": "2026-02-11", "x": 1}]}, 422),
    ],
)
def test_a_bad_trip_is_refused_with_json(
    client: TestClient, body: dict[str, object], status: int
) -> None:
    response = client.post("/api/v1/trip", json=body)
    assert response.status_code == status, response.text
    assert response.json()


def test_a_body_too_large_is_413(client: TestClient) -> None:
    response = client.post("/api/v1/trip", content=b"x" * (65 * 1024),
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413 and "larger than 64 KiB" in response.json()["error"]


def test_a_bad_trip_says_where(client: TestClient) -> None:
    legs = [{"place": "Quetta", "from": "2026-02-10", "to": "2026-02-11"}, {"place": "Quetta"}]
    body = client.post("/api/v1/trip", json={"legs": legs}).json()
    assert "legs.1.from: Field required" in body["error"] and body["parameter"] == "body"


@pytest.mark.parametrize(
    ("method", "path", "params", "body", "parameter", "words"),
    [
        ("GET", "/api/v1/check", {"place": "x" * 201}, None, "place", "at most 200 characters"),
        ("GET", "/api/v1/regions", {"q": ""}, None, "q", "at least 1 character"),
        ("GET", "/api/v1/orders", {"status": "sleeping"}, None, "status", "'in_force'"),
        ("POST", "/api/v1/trip", {"lookahead": "999"}, {"legs": []}, "lookahead", "366"),
        ("POST", "/api/v1/trip", {}, ["not", "a", "trip"], "body", "valid dictionary"),
        ("POST", "/api/v1/trip", {}, b'{"legs": [}', "body", "not JSON: Expecting value"),
    ],
)
def test_fastapis_own_checks_answer_as_ours_do(
    client: TestClient,
    method: str,
    path: str,
    params: dict[str, str],
    body: object,
    parameter: str,
    words: str,
) -> None:
    """Lengths, ranges and types that FastAPI checks from the signature: the same error body
    as the library's QueryError, {error, parameter}, not FastAPI's own {detail}."""
    content = body if isinstance(body, bytes | None) else json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    response = client.request(method, path, params=params, content=content, headers=headers)
    assert response.status_code == 422
    found = response.json()
    assert found["parameter"] == parameter and found["error"].startswith(f"'{parameter}': ")
    assert words in found["error"] and "detail" not in found


def test_starlettes_own_refusals_answer_as_ours_do(client: TestClient) -> None:
    broken = client.post("/api/v1/trip", content=b'{"legs": "\xff"}',
                         headers={"content-type": "application/json"})  # fmt: skip
    assert broken.status_code == 400
    assert broken.json() == {"error": "There was an error parsing the body"}
    assert client.get("/api/v1/nothing-here").json() == {"error": "Not Found"}
    wrong = client.delete("/api/v1/check")
    assert wrong.status_code == 405 and wrong.json() == {"error": "Method Not Allowed"}
    assert wrong.headers["allow"] == "GET"


def test_the_openapi_document_describes_every_answer(client: TestClient) -> None:
    """Each route's statuses, each with a body described (304 has none)."""
    paths = client.get("/openapi.json").json()["paths"]
    expected = {
        ("get", "/api/v1/health"): {"200"},
        ("get", "/api/v1/check"): {"200", "304", "404", "422"},
        ("post", "/api/v1/trip"): {"200", "304", "400", "404", "413", "422"},
        ("get", "/api/v1/regions"): {"200", "304", "422"},
        ("get", "/api/v1/orders"): {"200", "304", "404", "422"},
    }
    for (method, path), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert set(responses) == statuses, path
        for status in statuses - {"304"}:
            described = responses[status]["content"]["application/json"]["schema"]
            assert set(described) == {"$ref"}, (path, status)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/regions?q=Quetta", None),
        ("GET", "/api/v1/orders?region=PK-BA", None),
        ("POST", "/api/v1/trip?as_of=2026-03-01",
         {"legs": [{"place": "UET", "from": "2026-02-10", "to": "2026-02-11"}]}),
    ],
)  # fmt: skip
def test_every_answer_carries_an_etag_that_answers_304(
    client: TestClient, method: str, path: str, body: dict[str, object] | None
) -> None:
    first = client.request(method, path, json=body)
    assert first.status_code == 200
    etag = first.headers["etag"]
    again = client.request(method, path, json=body, headers={"If-None-Match": f"W/{etag}"})
    assert again.status_code == 304
    if body is not None:  # another trip, another tag
        other = {"legs": [{"place": "KHI", "from": "2026-02-10", "to": "2026-02-11"}]}
        assert client.request(method, path, json=other).headers["etag"] != etag


def test_regions_read_an_airport_code_as_a_trip_would(client: TestClient) -> None:
    found = client.get("/api/v1/regions", params={"q": "uet"}).json()
    assert found["airport"] == {"code": "UET", "name": "Quetta (UET)",
                                "serves": "PK-BA-QUETTA-QUETTA"}  # fmt: skip
    assert client.get("/api/v1/regions", params={"q": "Quetta"}).json()["airport"] is None
    assert client.get("/api/v1/regions", params={"q": "ZZZ"}).json()["airport"] is None


def test_the_watcher_outlives_files_that_cannot_be_read(bundled: RuleSet) -> None:
    """A rule file gone mid-pull (an OSError, not a rule error) is reported at health, and
    the watcher goes on looking: once the files read again, the rules are loaded again."""
    from advisories.web.service import Service

    calls = {"n": 0}

    def signature() -> object:
        calls["n"] += 1
        if 2 <= calls["n"] <= 4:  # the first is the service's own, at start
            raise OSError("kinds.yaml vanished")
        return "before" if calls["n"] == 1 else "after"

    service = Service(lambda: bundled, signature, check_every=0.05)
    first_load = service.loaded_at
    errors = []
    service.watch()
    try:
        deadline = time.monotonic() + 5
        while service.loaded_at == first_load and time.monotonic() < deadline:
            errors.append(service.last_reload_error)
            time.sleep(0.01)
        assert any(e and "kinds.yaml vanished" in e for e in errors)
        assert service.loaded_at != first_load and service.last_reload_error is None
    finally:
        service.stop()


def test_order_statuses_carried_from_the_minute_before_match_a_fresh_count(
    bundled: RuleSet,
) -> None:
    """The service keeps each order's facts and works out only status and staleness per
    minute, reusing the summaries that still hold: the same as counting afresh."""
    from datetime import UTC, date, datetime, timedelta

    from advisories.evaluation.orders import order_facts, order_summaries, summaries_at

    facts = order_facts(bundled)
    before = None
    for at in [datetime(2026, 1, 31, 23, 59, tzinfo=UTC) + timedelta(minutes=m)
               for m in (0, 1, 60 * 24 * 30, 60 * 24 * 400)]:  # fmt: skip
        found = summaries_at(facts, at, date(2026, 3, 1), before)
        assert found == order_summaries(bundled, at, date(2026, 3, 1))
        before = found
    statuses = {s.status for s in before or []}
    assert {"ended"} <= statuses


def test_a_trip_asks_at_most_a_year_of_days_in_all(client: TestClient) -> None:
    legs = [{"place": "Quetta", "from": f"{year}-01-01", "to": f"{year}-08-01"}
            for year in (2024, 2025)]  # fmt: skip
    refused = client.post("/api/v1/trip", json={"legs": legs})
    assert refused.status_code == 422 and "at most 366" in refused.json()["error"]
    page = client.get("/trip", params=[(k, v) for leg in legs
                                       for k, v in (("place", leg["place"]), ("from", leg["from"]),
                                                    ("to", leg["to"]))])  # fmt: skip
    assert page.status_code == 422 and "at most 366" in page.text
