"""advisory batch: one briefing per place on several processes, failures reported per file."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import advisories.batch as batch_module
from advisories.briefing import render_briefing
from advisories.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_batch_writes_one_briefing_per_place_in_parallel(tmp_path: Path) -> None:
    code, out, err = run(
        "batch", "Quetta", "Turbat", "Karachi", "--on", "2026-02-10", "--format", "html",
        "--out-dir", str(tmp_path), "--jobs", "2", "--as-of", "2026-02-15",
    )  # fmt: skip
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "briefing-pk-ba-kech-turbat-2026-02-10.html",
        "briefing-pk-ba-quetta-quetta-2026-02-10.html",
        "briefing-pk-sd-karachi-2026-02-10.html",
    ]
    quetta = (tmp_path / names[1]).read_text()
    assert "Month-long Section 144" in quetta
    assert "Month-long Section 144" not in (tmp_path / names[2]).read_text()
    assert "wrote 3 of 3 briefings" in out and "Rendering" in err


def test_batch_within_a_province_covers_its_districts(tmp_path: Path) -> None:
    code, _, _ = run(
        "batch", "--within", "PK-BA", "--on", "2026-02-10", "--format", "html",
        "--out-dir", str(tmp_path), "--jobs", "2",
    )  # fmt: skip
    assert code == 0
    assert len(list(tmp_path.glob("briefing-pk-ba-*.html"))) >= 36
    assert not list(tmp_path.glob("briefing-pk-ba-*-div-*.html"))  # divisions pass through


def test_batch_within_a_division_covers_its_districts(tmp_path: Path) -> None:
    code, out, _ = run(
        "batch", "--within", "Zhob Division", "--on", "2026-02-10", "--format", "html",
        "--out-dir", str(tmp_path), "--jobs", "2",
    )  # fmt: skip
    assert code == 0 and "wrote 3 of 3 briefings" in out
    assert sorted(p.name.split("-2026")[0] for p in tmp_path.iterdir()) == [
        "briefing-pk-ba-killa-saifullah",
        "briefing-pk-ba-sherani",
        "briefing-pk-ba-zhob",
    ]


def test_one_failure_does_not_stop_the_rest(tmp_path: Path) -> None:
    code, out, err = run(
        "batch", "Quetta", "US", "--on", "2026-02-10", "--format", "html",
        "--out-dir", str(tmp_path), "--jobs", "2",
    )  # fmt: skip
    assert code == 1
    assert "error: US (briefing-us-2026-02-10.html)" in err and "--tz" in err
    assert [p.name for p in tmp_path.iterdir()] == ["briefing-pk-ba-quetta-quetta-2026-02-10.html"]
    assert "wrote 1 of 2 briefings" in out and "failed: US" in out


def test_batch_bad_usage(tmp_path: Path) -> None:
    assert run("batch", "--on", "2026-02-10", "--out-dir", str(tmp_path))[0] == 2
    assert run("batch", "Quetta", "--out-dir", str(tmp_path))[0] == 2
    (tmp_path / "file").write_text("not a folder")
    code, _, err = run("batch", "Quetta", "--on", "2026-02-10", "--out-dir", str(tmp_path / "file"))
    assert code == 1 and "cannot create the folder" in err
    code, _, err = run("batch", "Atlantis", "--on", "2026-02-10", "--out-dir", str(tmp_path))
    assert code == 1 and "unknown place" in err


def test_batch_range_longer_than_a_leg_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(
        "batch", "Quetta", "--from", "2026-01-01", "--to", "2027-06-01", "--out-dir", str(tmp_path)
    )
    assert code == 2 and "366 days" in err


def test_batch_makes_its_output_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "districts"
    code, _, err = run(
        "batch", "Quetta", "--on", "2026-02-10", "--format", "html", "--out-dir", str(folder)
    )
    assert code == 0, err
    assert [p.name for p in folder.iterdir()] == ["briefing-pk-ba-quetta-quetta-2026-02-10.html"]


def _kill_the_worker_rendering(
    monkeypatch: pytest.MonkeyPatch, place: str, marker: Path | None = None
) -> None:
    """Make the worker that renders `place` die of SIGKILL, as the kernel's OOM killer does
    (every time, or only while `marker` does not exist yet). The workers fork from the test
    process, so they inherit this patch; the product code knows nothing of it."""
    real = render_briefing

    def render(evaluator: Any, trip: Any, options: Any) -> Any:
        in_worker = os.getpid() != parent
        if trip.legs[0].place == place and in_worker and not (marker and marker.exists()):
            if marker is not None:
                marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(evaluator, trip, options)

    parent = os.getpid()
    monkeypatch.setattr(batch_module, "render_briefing", render)


BATCH_OF_THREE = ("Quetta", "Turbat", "Karachi", "--on", "2026-02-10", "--format", "html")


def test_a_worker_killed_twice_fails_its_place_and_the_rest_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_the_worker_rendering(monkeypatch, "PK-BA-KECH-TURBAT")
    code, out, err = run("batch", *BATCH_OF_THREE, "--out-dir", str(tmp_path), "--jobs", "2")
    assert code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "briefing-pk-ba-quetta-quetta-2026-02-10.html",
        "briefing-pk-sd-karachi-2026-02-10.html",
    ]
    assert "BrokenProcessPool" not in err
    assert "PK-BA-KECH-TURBAT" in err and "SIGKILL" in err and "retried" in err
    assert "wrote 2 of 3 briefings" in out and "failed: PK-BA-KECH-TURBAT" in out


def test_a_worker_killed_once_is_retried_in_a_fresh_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_the_worker_rendering(monkeypatch, "PK-BA-QUETTA-QUETTA", tmp_path / "killed-once")
    out_dir = tmp_path / "out"
    code, out, err = run("batch", *BATCH_OF_THREE, "--out-dir", str(out_dir), "--jobs", "2")
    assert code == 0, err
    assert len(list(out_dir.iterdir())) == 3
    assert "PK-BA-QUETTA-QUETTA" in err and "retried" in err
    assert "wrote 3 of 3 briefings" in out and "failed" not in out


def test_a_briefing_out_of_memory_is_named_and_the_rest_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = render_briefing

    def render(evaluator: Any, trip: Any, options: Any) -> Any:
        if trip.legs[0].place == "PK-SD-KARACHI":
            raise MemoryError  # as a render under a memory limit (RLIMIT_AS) meets it
        return real(evaluator, trip, options)

    monkeypatch.setattr(batch_module, "render_briefing", render)
    code, out, err = run("batch", *BATCH_OF_THREE, "--out-dir", str(tmp_path), "--jobs", "2")
    assert code == 1 and len(list(tmp_path.iterdir())) == 2
    assert "error: PK-SD-KARACHI (briefing-pk-sd-karachi-2026-02-10.html): ran out of memory" in err
    assert "failed: PK-SD-KARACHI" in out


def _pathological_render(monkeypatch: pytest.MonkeyPatch, place: str, how: str) -> None:
    """Make the render of `place` hang (`sleep`) or take memory without end (`grow`), in the
    workers that fork from the test process and inherit this patch."""
    real = render_briefing

    def render(evaluator: Any, trip: Any, options: Any) -> Any:
        if trip.legs[0].place == place:
            if how == "sleep":
                time.sleep(60)
            held = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB, 64 MiB at a time
            assert not held
        return real(evaluator, trip, options)

    monkeypatch.setattr(batch_module, "render_briefing", render)


def test_a_briefing_past_its_time_limit_is_stopped_and_the_rest_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pathological_render(monkeypatch, "PK-BA-KECH-TURBAT", "sleep")
    started = time.monotonic()
    code, out, err = run("batch", *BATCH_OF_THREE, "--out-dir", str(tmp_path), "--jobs", "2",
                         "--time-limit", "1")  # fmt: skip
    assert time.monotonic() - started < 20
    assert code == 1 and len(list(tmp_path.iterdir())) == 2
    assert "error: PK-BA-KECH-TURBAT" in err and "took longer than 1 s to render" in err
    assert "wrote 2 of 3 briefings" in out and "failed: PK-BA-KECH-TURBAT" in out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_briefing_past_its_memory_limit_is_stopped_and_the_rest_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    _pathological_render(monkeypatch, "PK-SD-KARACHI", "grow")
    code, out, err = run("batch", *BATCH_OF_THREE, "--out-dir", str(tmp_path), "--jobs", jobs,
                         "--memory-limit", "200")  # fmt: skip
    assert code == 1 and len(list(tmp_path.iterdir())) == 2
    assert "error: PK-SD-KARACHI" in err and "ran out of memory while rendering (200 MiB)" in err
    assert "wrote 2 of 3 briefings" in out and "failed: PK-SD-KARACHI" in out


def test_a_worker_crashed_under_its_memory_limit_is_said_to_be_out_of_memory() -> None:
    assert batch_module.death_of(-signal.SIGSEGV, batch_module.RenderLimits()) == (
        "killed by SIGSEGV (out of memory? a render may take 1024 MiB)"
    )
    assert batch_module.death_of(-signal.SIGTERM) == "killed by SIGTERM"
