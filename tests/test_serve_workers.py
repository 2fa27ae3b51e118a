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

from tests.conftest import ROOT

CHECK = "/api/v1/check?place=Quetta&on=2026-02-10&as_of=2026-03-01"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


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


def wait_for_health(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            ask(port)
            return
        except OSError:
            assert server.poll() is None, log.read_text("utf-8")
            assert time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.2)


def test_two_workers_answer_alike_from_one_compiled_cache(tmp_path: Path) -> None:
    port, log, cache = free_port(), tmp_path / "serve.log", tmp_path / "cache"
    advisory = Path(sys.executable).with_name("advisory")
    # Rules named from outside their folder, relative: the spelling the workers must share
    # with the command for their file names, so the cache key, to be the same.
    rules = os.path.relpath(ROOT / "rules", tmp_path)
    command = [str(advisory), "serve", "--workers", "2", "--host", "127.0.0.1"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "--port", str(port), "--rules", rules],
            cwd=tmp_path,
            env={**os.environ, "ADVISORIES_CACHE": str(cache)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_health(port, server, log)
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
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
