"""`advisory serve --workers 2` as a real server: either worker gives the same answer and the
same ETag, and the rules are compiled once, by the command, for both workers."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

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
