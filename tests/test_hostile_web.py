"""The hostile corpus of the web service (tests/hostile/web/): bodies, query strings, paths,
methods, headers and slow clients, as an attacker or a broken client would send them.

Each case asserts a clear 4xx (JSON under /api/ and for a client asking for JSON, a page
elsewhere) or inert output; and, for every case, no 500, no traceback in the answer, and the
security headers. The slow clients and the oversized heads go to a real `advisory serve` on
loopback: what they attack is the server's handling of connections, which the test client
does not go through.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisories.compile.ruleset import RuleSet
from advisories.model.documents import MAX_LEGS, MAX_TRAVELLERS
from advisories.web.app import MAX_BODY, create_app
from advisories.web.connections import MAX_HEAD_BYTES
from tests.conftest import serving

CORPUS = Path(__file__).resolve().parent / "hostile" / "web"
CHECK = "/api/v1/check?place=Quetta&on=2026-02-10&as_of=2026-03-01"
LEG = {"place": "Quetta", "from": "2026-02-10", "to": "2026-02-10"}
JSON = {"Accept": "application/json"}
FORM = "multipart/form-data; boundary=hostile"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # as sent, percent-encoding and all
    status: int
    says: tuple[str, ...]  # each is in the answer (its `error` for JSON)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    never: tuple[str, ...] = ()  # none of these is in the answer as it is

    def __str__(self) -> str:
        return self.name


def get(name: str, path: str, status: int, *says: str, **more: object) -> Case:
    return Case(name, "GET", path, status, says, **more)  # type: ignore[arg-type]


def trip_json(name: str, status: int, *says: str, body: bytes | None = None) -> Case:
    """A body for POST /api/v1/trip: the corpus file `name`.json, or `body`."""
    data = body if body is not None else (CORPUS / f"{name}.json").read_bytes()
    headers = {"Content-Type": "application/json"}
    return Case(f"api-trip/{name}", "POST", "/api/v1/trip", status, says, data, headers)


def upload(name: str, status: int, *says: str, data: bytes | None = None) -> Case:
    """A trip file uploaded to the trip page: the corpus file `name`.yaml, or `data`."""
    content = data if data is not None else (CORPUS / f"{name}.yaml").read_bytes()
    body = (
        b'--hostile\r\nContent-Disposition: form-data; name="file"; filename="trip.yaml"\r\n'
        b"Content-Type: application/yaml\r\n\r\n" + content + b"\r\n--hostile--\r\n"
    )
    return Case(f"upload/{name}", "POST", "/trip", status, says, body, {"Content-Type": FORM})


def many_legs(count: int) -> bytes:
    return json.dumps({"legs": [LEG] * count}).encode()


def many_travellers_yaml(count: int) -> bytes:
    names = "".join(f"  - Traveller {i}\n" for i in range(count))
    return b"travellers:\n" + names.encode() + b"legs:\n  - place: Quetta\n    from: 2026-02-10\n"


CASES = [
    # JSON bodies of the API
    trip_json("malformed", 422, "'body': not JSON"),
    trip_json("not-an-object", 422, "'body'", "dictionary"),
    trip_json("deep-nesting", 400, "error parsing the body"),
    trip_json("huge-number", 422, "from"),
    trip_json("duplicate-keys", 200, "PK-BA-QUETTA-QUETTA"),  # the last key wins, as in JSON
    trip_json("bad-utf8", 400, "error parsing the body"),
    trip_json("utf16", 200, "PK-BA-QUETTA-QUETTA"),  # JSON may be UTF-16
    trip_json("nul-in-place", 404, "unknown place 'Quet\\x00ta'"),
    trip_json("lone-surrogate", 422, "legs.0.place", "unicode string"),
    trip_json("legs-not-a-list", 422, "legs"),
    trip_json("reversed-leg", 422, "is before 'from'"),
    trip_json("year-long-legs", 422, "1095 days in all", "at most 366"),
    trip_json("traversal-place", 404, "unknown place '../../../../etc/passwd'"),
    trip_json("thousands-of-legs", 422, f"at most {MAX_LEGS}", body=many_legs(1000)),
    trip_json("oversized", 413, "larger than 64 KiB", body=b" " * (MAX_BODY + 1)),
    trip_json("empty", 422, "'body'", body=b""),
    Case(
        "api-trip/text-plain",
        "POST",
        "/api/v1/trip",
        422,
        ("'body'",),
        json.dumps({"legs": [LEG]}).encode(),
        {"Content-Type": "text/plain"},
    ),
    Case(
        "api-trip/length-not-a-number",
        "POST",
        "/api/v1/trip",
        400,
        ("Content-Length", "not a number"),
        b"{}",
        {"Content-Type": "application/json", "Content-Length": "1e9"},
    ),
    Case(
        "api-trip/lookahead-huge",
        "POST",
        "/api/v1/trip?lookahead=99999999999999999999",
        422,
        ("'lookahead'",),
        json.dumps({"legs": [LEG]}).encode(),
        {"Content-Type": "application/json"},
    ),
    Case(
        "api-trip/lookahead-negative",
        "POST",
        "/api/v1/trip?lookahead=-1",
        422,
        ("'lookahead'",),
        json.dumps({"legs": [LEG]}).encode(),
        {"Content-Type": "application/json"},
    ),
    # Trip files uploaded to the trip page
    upload("yaml-bomb", 422, "aliases (*name) are not allowed"),
    upload("python-tag", 422, "the uploaded trip file"),
    upload("bad-utf8", 422, "not UTF-8"),
    upload("not-a-mapping", 422, "a trip file is a mapping"),
    upload("traversal-place", 404, "unknown place"),
    upload(
        "script-title",
        200,
        "&lt;script&gt;",
    ),
    upload(
        "many-travellers",
        422,
        f"a briefing lists at most {MAX_TRAVELLERS}",
        data=many_travellers_yaml(MAX_TRAVELLERS + 1),
    ),
    upload("oversized", 413, "larger than 64 KiB", data=b"#" * MAX_BODY),
    Case(
        "upload/no-boundary",
        "POST",
        "/trip",
        400,
        ("boundary",),
        b"--x--",
        {"Content-Type": "multipart/form-data"},
    ),
    Case(
        "upload/no-file",
        "POST",
        "/trip",
        422,
        ("'file'",),
        b"--hostile--\r\n",
        {"Content-Type": FORM},
    ),
    Case(
        "trip-pdf/form-not-a-trip",
        "POST",
        "/trip.pdf",
        422,
        ("the uploaded trip file",),
        b"trip=legs%3A+%5B",
        {"Content-Type": "application/x-www-form-urlencoded", **JSON},
    ),
    # Huge ranges and many legs in query strings
    get(
        "check/ten-thousand-years",
        "/api/v1/check?place=Quetta&from=0001-01-01&to=9999-12-31",
        422,
        "outside the years",
    ),
    get(
        "check/range-of-centuries",
        "/api/v1/check?place=Quetta&from=1900-01-01&to=2200-12-31",
        422,
        "at most 366",
    ),
    get(
        "export/range-of-centuries",
        "/api/v1/export?format=json&from=1900-01-01&to=2200-12-31",
        422,
        "at most 366",
    ),
    get(
        "briefing/range-of-centuries",
        "/briefing?place=Quetta&from=1900-01-01&to=2200-12-31",
        422,
        "at most 366",
    ),
    get(
        "trip/thousand-legs",
        "/trip?" + "&".join(["place=Quetta&from=2026-02-10"] * 1000),
        422,
        "at most",
    ),
    get(
        "trip-pdf/too-many-days",
        "/trip.pdf?"
        + "&".join(
            f"place=Quetta&from={y}-{m:02}-01&to={y}-{m:02}-28"
            for y in (2026, 2027)
            for m in range(1, 8)
        ),
        422,
        "at most 366",
        headers=JSON,
    ),
    # Traversal in every path and query parameter
    get("assets/traversal", "/assets/..%2F..%2Fpyproject.toml", 404, "Not found"),
    get("assets/dot-dot", "/assets/%2E%2E", 404, "there is no asset"),
    get("feeds/traversal", "/feeds/..%2F..%2Fetc%2Fpasswd", 404, "Not found"),
    get(
        "check/traversal-place",
        "/api/v1/check?place=..%2F..%2F..%2Fetc%2Fpasswd",
        404,
        "unknown place",
    ),
    get(
        "check/traversal-tz",
        "/api/v1/check?place=Quetta&tz=..%2F..%2F..%2Fetc%2Fpasswd",
        422,
        "'tz'",
    ),
    get("check/absolute-tz", "/api/v1/check?place=Quetta&tz=%2Fetc%2Flocaltime", 422, "'tz'"),
    get("export/traversal-format", "/api/v1/export?format=..%2F..%2Fetc%2Fpasswd", 422, "'format'"),
    get("orders/traversal-kind", "/api/v1/orders?kind=..%2F..%2Fetc", 422, "unknown kind"),
    get("briefing/traversal-lang", "/briefing?place=Quetta&lang=..%2F..%2Fetc", 422, "lang"),
    get("regions/traversal", "/api/v1/regions?q=..%2F..%2Fetc%2Fpasswd", 200, '"regions"'),
    # Malformed query strings, unknown and repeated parameters
    get("check/no-place", "/api/v1/check", 422, "'place'"),
    get("check/empty-place", "/api/v1/check?place=", 422, "'place'"),
    get("check/impossible-day", "/api/v1/check?place=Quetta&on=2026-02-30", 422, "'on'"),
    get("check/bad-percent", "/api/v1/check?place=%zz%&on=%%", 422, "'on'", "is not a date"),
    get(
        "check/ampersands",
        "/api/v1/check?&&&=&place=Quetta&&on=2026-02-10&=",
        200,
        "PK-BA-QUETTA-QUETTA",
    ),
    get(
        "check/unknown-parameter",
        CHECK + "&evil=%3Cscript%3E",
        200,
        "PK-BA-QUETTA-QUETTA",
        never=("<script>",),
    ),
    get(
        "check/repeated-place",
        "/api/v1/check?place=Atlantis&place=Quetta&on=2026-02-10",
        200,
        "PK-BA-QUETTA-QUETTA",
    ),
    get(
        "check/at-and-on",
        "/api/v1/check?place=Quetta&on=2026-02-10&at=2026-02-10T10:00",
        422,
        "'at'",
    ),
    get("orders/bad-status", "/api/v1/orders?status=pwned", 422, "'status'"),
    get(
        "briefing/script-place",
        "/briefing?place=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        404,
        "We know no place called '<script>alert(1)</script>'",
        never=("<script>alert",),
    ),
    get(
        "trip/script-title",
        "/trip?title=%3Cscript%3Ealert(1)%3C%2Fscript%3E&place=Quetta&from=2026-02-10",
        200,
        "&lt;script&gt;",
        never=("<script>alert",),
    ),
    # Bad Unicode
    get("check/invalid-utf8", "/api/v1/check?place=%FF%FE", 404, "unknown place"),
    get("check/encoded-surrogate", "/api/v1/check?place=%ED%A0%80", 404, "unknown place"),
    get("check/nul", "/api/v1/check?place=Quetta%00&on=2026-02-10", 200, "PK-BA-QUETTA-QUETTA"),
    get("check/bidi-override", "/api/v1/check?place=%E2%80%AEatteuQ", 404, "unknown place"),
    get(
        "briefing/control-characters", "/briefing?place=%1B%5D0%3Bpwned%07", 404, "Place not found"
    ),
    # Very long values (the head itself is bounded by the server: see below)
    get("check/long-place", "/api/v1/check?place=" + "A" * 20_000, 422, "'place'", "200"),
    get("regions/long-query", "/api/v1/regions?q=" + "%F0%9F%92%A3" * 5000, 422, "'q'"),
    get("check/many-parameters", CHECK + "&x=1" * 5000, 200, "PK-BA-QUETTA-QUETTA"),
    get(
        "check/long-if-none-match",
        CHECK,
        200,
        "PK-BA-QUETTA-QUETTA",
        headers={"If-None-Match": ", ".join(['"x"'] * 2000)},
    ),
    # Wrong methods and content types
    Case("check/delete", "DELETE", CHECK, 405, ("Method Not Allowed",)),
    Case("check/post", "POST", CHECK, 405, ("Method Not Allowed",), b"", {"Content-Length": "0"}),
    Case("trip-api/get", "GET", "/api/v1/trip", 405, ("Method Not Allowed",)),
    Case(
        "briefing/put",
        "PUT",
        "/briefing?place=Quetta",
        405,
        ("Method Not Allowed",),
        b"",
        {"Content-Length": "0"},
    ),
    Case("api/no-such-route", "GET", "/api/v1/..%2F..%2Fetc%2Fpasswd", 404, ("Not Found",)),
    Case(
        "api/chunked-body",
        "POST",
        "/api/v1/trip",
        411,
        ("Content-Length",),
        b"",
        {"Transfer-Encoding": "chunked"},
    ),
]


@pytest.fixture(scope="module")
def client(bundled: RuleSet) -> Iterator[TestClient]:
    with TestClient(create_app(lambda: bundled), raise_server_exceptions=False) as found:
        yield found


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_request(client: TestClient, case: Case) -> None:
    headers = dict(case.headers)
    if case.body and "Content-Length" not in headers and "Transfer-Encoding" not in headers:
        headers["Content-Length"] = str(len(case.body))
    answer = client.request(case.method, case.path, content=case.body or None, headers=headers)
    text = answer.text
    assert answer.status_code == case.status, text[:500]
    assert "Traceback" not in text and "Internal Server Error" not in text
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    shown = text
    if answer.status_code >= 400:
        api = case.path.startswith("/api/") or case.headers.get("Accept") == "application/json"
        if api:
            assert answer.headers["content-type"] == "application/json", text[:200]
            shown = answer.json()["error"]
        else:
            assert answer.headers["content-type"].startswith("text/html"), text[:200]
            shown = html.unescape(text)
        # a page links itself in each language: its query, thrice at most
        assert len(text) < 20_000 + 4 * len(case.path), "an error repeats the input at length"
    for said in case.says:
        assert said in shown, shown[:500]
    for unsaid in case.never:
        assert unsaid not in text


def test_the_corpus_holds_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".json", ".yaml")}
    used = {c.name.split("/", 1)[1] + (".json" if c.name.startswith("api-") else ".yaml")
            for c in CASES if c.name.startswith(("api-trip/", "upload/"))}  # fmt: skip
    assert files <= used, f"corpus files no case reads: {files - used}"


# The server itself: slow clients, oversized heads. Each against a real `advisory serve`.


def _answered(sock: socket.socket, limit: float) -> bytes:
    """All `sock` receives until the server closes it, within `limit` seconds."""
    sock.settimeout(limit)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def _check_answers(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", CHECK)
    response = connection.getresponse()
    assert response.status == 200 and b"PK-BA-QUETTA-QUETTA" in response.read()
    connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """`advisory serve` with requests due within a second, and its log."""
    folder = tmp_path_factory.mktemp("serve")
    log = folder / "serve.log"
    environment = {
        **os.environ,
        "ADVISORIES_CACHE": str(folder / "cache"),
        "ADVISORIES_REQUEST_SECONDS": "1",
    }
    with serving(log=log, env=environment) as port:
        yield port, log
    assert "Traceback" not in log.read_text()


def test_a_client_that_sends_nothing_is_timed_out_and_others_are_served(
    server: tuple[int, Path],
) -> None:
    port, _ = server
    silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
    try:
        _check_answers(port)  # while fifty connections hold their peace
        started = time.monotonic()
        said = _answered(silent[0], 5)
        assert said.startswith(b"HTTP/1.1 408 ") and b"did not arrive within 1 s" in said
        assert time.monotonic() - started < 3
        _check_answers(port)
    finally:
        for sock in silent:
            sock.close()


def test_a_client_that_sends_its_head_byte_by_byte_is_timed_out(
    server: tuple[int, Path],
) -> None:
    port, _ = server
    with socket.create_connection(("127.0.0.1", port)) as slow:
        started = time.monotonic()
        request = f"GET {CHECK} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        try:
            for byte in request:
                slow.sendall(bytes([byte]))
                _check_answers(port)  # others are served all along
                time.sleep(0.05)
                if time.monotonic() - started > 5:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed on it: what is asserted below
        said = _answered(slow, 5)
        assert said.startswith(b"HTTP/1.1 408 ")
        assert time.monotonic() - started < 5


def test_a_body_that_stops_coming_is_dropped_without_an_error(server: tuple[int, Path]) -> None:
    port, log = server
    with socket.create_connection(("127.0.0.1", port)) as stalled:
        stalled.sendall(b"POST /api/v1/trip HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                        b"\r\nContent-Length: 1000\r\n\r\n{\"legs\": [")  # fmt: skip
        started = time.monotonic()
        _answered(stalled, 5)  # closed, whatever was said
        assert time.monotonic() - started < 4
    _check_answers(port)
    assert " 500 " not in log.read_text()


@pytest.mark.parametrize(
    "head",
    [
        f"GET /api/v1/check?place={'A' * (MAX_HEAD_BYTES + 1)} HTTP/1.1\r\nHost: x\r\n\r\n",
        f"GET {CHECK} HTTP/1.1\r\nHost: x\r\nX-Long: {'A' * (MAX_HEAD_BYTES + 1)}\r\n\r\n",
        f"GET {CHECK} HTTP/1.1\r\nHost: x\r\n" + "X-Many: a\r\n" * 5000 + "\r\n",
    ],
    ids=["long-url", "long-header", "many-headers"],
)
def test_a_head_too_large_is_refused_with_431(server: tuple[int, Path], head: str) -> None:
    port, _ = server
    with socket.create_connection(("127.0.0.1", port)) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head.encode())  # refused, maybe, before it was all sent
        said = _answered(sock, 5)
    assert said.startswith(b"HTTP/1.1 431 "), said[:200]
    assert b"larger than 32 KiB" in said
    _check_answers(port)


def test_a_request_line_that_is_not_http_is_a_400(server: tuple[int, Path]) -> None:
    port, _ = server
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n")
        said = _answered(sock, 5)
    assert said.startswith(b"HTTP/1.1 400 ")
    _check_answers(port)
