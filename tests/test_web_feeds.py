"""/api/v1/export, /api/v1/changes and /feeds/: the CLI's exports and changes over HTTP."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace

import feedparser
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from advisories.cli import main
from advisories.compile.ruleset import RuleSet
from advisories.evaluation.selection import Selection
from advisories.render.exports import EXPORTS, ExportOptions
from advisories.web.app import create_app


@pytest.fixture(scope="module")
def client(bundled: RuleSet) -> Iterator[TestClient]:
    with TestClient(create_app(lambda: bundled)) as found:
        yield found


FEBRUARY = {"place": "Quetta", "from": "2026-02-01", "to": "2026-02-28", "as_of": "2026-02-10"}


@pytest.mark.parametrize("fmt", ["json", "csv", "atom"])
def test_export_gives_the_bytes_the_cli_writes(client: TestClient, fmt: str) -> None:
    answer = client.get("/api/v1/export", params={"format": fmt, **FEBRUARY})
    assert answer.status_code == 200
    cli = CliRunner().invoke(main, ["export", "--format", fmt, "Quetta", "--from", "2026-02-01",
                                    "--to", "2026-02-28", "--as-of", "2026-02-10"])  # fmt: skip
    served = answer.content
    if fmt == "atom":  # the feed served also names where it is served
        served = re.sub(rb'\n *<link rel="self" href="[^"]*" */>', b"", served)
    assert served == cli.stdout_bytes
    assert 'filename="advisories-Quetta.' in answer.headers["content-disposition"]
    again = client.get("/api/v1/export", params={"format": fmt, **FEBRUARY},
                       headers={"If-None-Match": answer.headers["etag"]})  # fmt: skip
    assert again.status_code == 304


def test_export_csv_for_excel_and_its_errors(client: TestClient) -> None:
    answer = client.get("/api/v1/export", params={"format": "csv", "excel": "true", **FEBRUARY})
    assert answer.content.startswith(b"\xef\xbb\xbf")
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert any(r["id"] == "pk-ba-2026-02-s144/weapons" for r in rows)
    wrong = client.get("/api/v1/export", params={"format": "docx", "place": "Quetta"})
    assert wrong.status_code == 422 and wrong.json()["parameter"] == "format"
    unknown = client.get("/api/v1/export", params={"format": "csv", "place": "Quetta City XYZ"})
    assert unknown.status_code == 404
    excel = client.get("/api/v1/export", params={"format": "ics", "excel": "true"})
    assert excel.status_code == 422 and excel.json()["parameter"] == "excel"
    long = client.get("/api/v1/export", params={"format": "csv", "from": "2020-01-01",
                                                "to": "2026-01-01"})  # fmt: skip
    assert long.status_code == 422 and "at most 366" in long.json()["error"]


def test_changes_answer_with_coverage(client: TestClient) -> None:
    answer = client.get("/api/v1/changes", params={"place": "Quetta", "since": "2026-02-01",
                                                   "as_of": "2026-02-10"})  # fmt: skip
    assert answer.status_code == 200
    body = answer.json()
    assert body["coverage"]["status"] == "monitored"
    assert {(c["order"], c["event"]) for c in body["changes"]} >= {
        ("pk-ba-2026-02-s144", "issued"),
        ("pk-ba-2026-01-mobile-internet", "ends"),
    }
    paris = client.get("/api/v1/changes", params={"place": "Paris", "since": "2026-01-01"})
    assert paris.json()["coverage"]["status"] == "not_monitored"
    assert client.get("/api/v1/changes", params={"place": "Quetta"}).status_code == 422


def test_the_changes_feed_parses_and_links_itself(client: TestClient) -> None:
    answer = client.get("/feeds/changes.atom", params={"place": "PK-BA"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo and feed.entries
    assert feed.feed.links[0]["href"].endswith("/feeds/changes.atom?place=PK-BA")
    missing = client.get("/feeds/secrets.txt")  # a browser gets a page, a program JSON
    assert missing.status_code == 404 and "changes.atom" in missing.text
    asked = client.get("/feeds/secrets.txt", headers={"Accept": "application/json"})
    assert "changes.atom" in asked.json()["error"]


def test_openapi_documents_the_new_routes(client: TestClient) -> None:
    paths = json.loads(client.get("/openapi.json").content)["paths"]
    assert {"/api/v1/export", "/api/v1/changes", "/feeds/{name}"} <= set(paths)


def test_the_briefing_page_links_its_other_formats(client: TestClient) -> None:
    page = client.get("/briefing", params={"place": "Quetta", "on": "2026-02-10",
                                           "as_of": "2026-02-10"})  # fmt: skip
    assert page.status_code == 200
    found = dict(re.findall(r'<a class="export" href="([^"]+)">([^<]+)</a>', page.text))
    links = {label: html.unescape(url) for url, label in found.items()}
    assert "Spreadsheet (.csv)" in links and "Changes feed (Atom)" in links
    sheet = client.get(links["Spreadsheet (.csv)"])
    assert sheet.status_code == 200 and b"pk-ba-2026-02-s144/weapons" in sheet.content
    assert client.get(links["Changes feed (Atom)"]).status_code == 200


def test_one_request_may_not_ask_for_too_many_orders(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("advisories.web.feeds.MAX_ORDERS", 5)
    wide = client.get("/api/v1/export", params={"format": "csv"})
    assert wide.status_code == 422 and "at most 5 at a time" in wide.json()["error"]
    assert client.get("/api/v1/changes", params={"since": "2025-01-01"}).status_code == 422
    narrow = client.get("/api/v1/export", params={"format": "csv", "place": "Skardu"})
    assert narrow.status_code == 200


def test_an_export_asked_again_without_its_etag_is_not_made_again(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    csv_export = EXPORTS["csv"]

    def counting(selection: Selection, options: ExportOptions) -> bytes:
        made.append(selection.region.code if selection.region else "")
        return csv_export.render(selection, options)

    monkeypatch.setitem(EXPORTS, "csv", replace(csv_export, render=counting))
    asked = {"format": "csv", "place": "Gwadar", "on": "2025-03-20", "as_of": "2025-12-31"}
    first, second = (client.get("/api/v1/export", params=asked) for _ in range(2))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and made == ["PK-BA-GWADAR-GWADAR"]
