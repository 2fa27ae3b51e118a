"""Median wall time of `advisory check Quetta --on 2026-02-10` from a fresh process.

Target (issue 2): under 0.35 s on the 2-core reference machine. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "21"))
COMMAND = ["-m", "advisories", "check", "Quetta", "--on", "2026-02-10"]


def wall_times(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    os.chdir(Path(__file__).resolve().parent.parent)
    wall_times(COMMAND, 2)  # warm the OS file cache
    baseline = wall_times(["-c", "pass"], RUNS)
    check = wall_times(COMMAND, RUNS)
    print(f"advisory check Quetta --on 2026-02-10, {RUNS} fresh processes:")
    print(
        f"  median {statistics.median(check):.3f} s   min {min(check):.3f} s   "
        f"max {max(check):.3f} s   (target < 0.35 s)"
    )
    print(f"  bare interpreter start-up: median {statistics.median(baseline):.3f} s")


if __name__ == "__main__":
    main()
