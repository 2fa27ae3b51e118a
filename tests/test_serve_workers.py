"""`advisory serve --workers 2` as a real server: either worker gives the same answer and the
same ETag, and the rules are compiled once, by the command, for both workers."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from advisories.model.documents import MAX_LEGS
from tests.conftest import ROOT, serving

CHECK = "/api/v1/check?place=Quetta&on=2026-02-10&as_of=2026-03-01"


def ask(port: int) -> tuple[int, bytes, str]:
    """The worker that accepted a new connection, and its answer to CHECK on that connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/api/v1/health")
        worker = json.loads(connection.getresponse().read())["worker"]
        accepted = connection.sock
        connection.request("GET", CHECK)
        response = connection.getresponse()
        body = response.read()
        assert connection.sock is accepted, "the check went to another connection"
        assert response.status == 200, body
        return worker, body, response.headers["ETag"]
    finally:
        connection.close()


def test_two_workers_answer_alike_from_one_compiled_cache(tmp_path: Path) -> None:
    log, cache = tmp_path / "serve.log", tmp_path / "cache"
    # Rules named from outside their folder, relative: the spelling the workers must share
    # with the command for their file names, so the cache key, to be the same.
    rules = os.path.relpath(ROOT / "rules", tmp_path)
    environment = {**os.environ, "ADVISORIES_CACHE": str(cache)}
    with serving(
        "--workers", "2", "--rules", rules, log=log, cwd=tmp_path, env=environment
    ) as port:
        answers: dict[int, tuple[bytes, str]] = {}
        deadline = time.monotonic() + 20
        while len(answers) < 2 and time.monotonic() < deadline:
            worker, body, etag = ask(port)
            answers[worker] = (body, etag)
        assert len(answers) == 2, f"one worker answered every connection: {answers.keys()}"
        (body, etag), (other_body, other_etag) = answers.values()
        assert body == other_body and etag == other_etag
        assert json.loads(body)["region"]["code"] == "PK-BA-QUETTA-QUETTA"
        # Both workers have loaded; one that missed the cache would have written an entry.
        assert len(list(cache.glob("*.pickle"))) == 1


def test_clients_that_connect_at_once_are_spread_over_the_workers(tmp_path: Path) -> None:
    environment = {**os.environ, "ADVISORIES_CACHE": str(tmp_path / "cache")}
    with serving("--workers", "2", log=tmp_path / "serve.log", env=environment) as port:
        workers: set[int] = set()
        deadline = time.monotonic() + 20
        while len(workers) < 2 and time.monotonic() < deadline:  # both have started
            workers.add(ask(port)[0])
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                       for _ in range(24)]  # fmt: skip
        for connection in connections:
            connection.connect()  # all at once, before any asks: a proxy's pool, a load test
        answered = []
        for connection in connections:
            connection.request("GET", "/api/v1/health")
            answered.append(json.loads(connection.getresponse().read())["worker"])
            connection.close()
    counts = sorted(answered.count(w) for w in set(answered))
    assert len(counts) == 2, f"one worker took every connection: {counts}"


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(Path(sys.executable).parent / "advisory"), "serve", "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


def _pdf_while_checking(port: int, path: str) -> tuple[int, dict[str, object], list[int]]:
    """Ask for the PDF at `path` and, until it is answered, ask CHECK again and again on
    other connections: the PDF's status and body, and the statuses of the checks."""
    pdf: list[tuple[int, dict[str, object]]] = []

    def ask_pdf() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path, headers={"Accept": "application/json"})
        try:
            response = connection.getresponse()
            body = response.read()
            pdf.append((response.status, json.loads(body) if response.status != 200 else {}))
        finally:
            connection.close()

    asking = threading.Thread(target=ask_pdf)
    asking.start()
    checks = []
    while asking.is_alive():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", CHECK)
        checks.append(connection.getresponse().status)
        connection.close()
        time.sleep(0.05)
    asking.join()
    return *pdf[0], checks


# A year of the province with the most restrictions: a render needs more than 100 MiB.
A_YEAR = "/briefing.pdf?place=PK-KP&from=2025-06-01&to=2026-05-31&as_of=2026-03-01"


def test_a_pdf_past_its_memory_limit_is_a_503_and_json_answers_go_on(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    environment = {**os.environ, "ADVISORIES_CACHE": str(tmp_path / "cache"),
                   "ADVISORIES_PDF_MEMORY_MIB": "100"}  # fmt: skip
    with serving(log=log, env=environment) as port:
        status, body, checks = _pdf_while_checking(port, A_YEAR)
        assert status == 503, body
        assert "out of memory" in str(body["error"]) or "more memory" in str(body["error"])
        assert "100 MiB" in str(body["error"]) and "fewer days or places" in str(body["error"])
        assert checks and set(checks) == {200}
        assert ask(port)[1]  # the service answers on after the render is gone
    assert "Traceback" not in log.read_text()


def test_a_pdf_past_its_time_limit_is_a_503_and_json_answers_go_on(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    environment = {**os.environ, "ADVISORIES_CACHE": str(tmp_path / "cache"),
                   "ADVISORIES_PDF_SECONDS": "1"}  # fmt: skip
    mondays = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(MAX_LEGS)]
    legs = "&".join(
        f"place={('Quetta', 'Gwadar')[n % 2]}&from={day}&to={day + timedelta(days=6)}"
        for n, day in enumerate(mondays)
    )  # the most legs, 350 days: the most days
    with serving(log=log, env=environment) as port:
        started = time.monotonic()
        status, body, checks = _pdf_while_checking(port, f"/trip.pdf?{legs}")
        assert time.monotonic() - started < 15
        assert status == 503, body
        assert "took longer than 1 s to render" in str(body["error"])
        assert len(checks) > 3 and set(checks) == {200}
    assert "Traceback" not in log.read_text()


def _health(port: int) -> dict[str, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/api/v1/health")
    health: dict[str, object] = json.loads(connection.getresponse().read())
    connection.close()
    return health


def test_a_broken_rules_edit_while_serving_keeps_the_last_good_rules(tmp_path: Path) -> None:
    """The service reloads the rules when their files change; an edit that breaks them is
    logged and reported at /api/v1/health, and the rules that last loaded go on answering."""
    tree = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "PK", tree / "PK")
    orders = tree / "PK" / "BA" / "2026.yaml"
    log = tmp_path / "serve.log"
    environment = {**os.environ, "ADVISORIES_CACHE": str(tmp_path / "cache")}
    with serving("--rules", str(tree), log=log, env=environment) as port:
        before = _health(port)
        _, answer, _ = ask(port)
        orders.write_text(orders.read_text("utf-8").replace("last_day:", "last_dya:", 1), "utf-8")
        deadline = time.monotonic() + 15
        while (health := _health(port))["last_reload_error"] is None:
            assert time.monotonic() < deadline, "the broken edit was never noticed"
            time.sleep(0.2)
        assert health["rules_version"] == before["rules_version"]
        assert "2026.yaml" in str(health["last_reload_error"])
        assert "last_dya" in str(health["last_reload_error"])
        assert ask(port)[1] == answer  # the same answer, from the last good rules
    said = log.read_text()
    assert "the rules could not be reloaded; still answering from version" in said
    assert "2026.yaml" in said and "Traceback" not in said
