"""Wall time of `advisory check Quetta --on 2026-02-10` from a fresh process.

Target (issue 2): median under 0.35 s on the 2-core reference machine, with the compiled cache
warm (the usual case: rules change far less often than questions are asked). Also printed: the
same with the cache missing every time, and two references measured in the same run, because
the machines are noisy: a bare interpreter, and one that only imports pydantic and click.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "21"))
CHECK = ["-m", "advisories", "check", "Quetta", "--on", "2026-02-10"]
ROOT = Path(__file__).resolve().parent.parent


def wall_times(args: list[str], runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
    return times


def line(name: str, times: list[float]) -> str:
    return (
        f"  {name:<34} median {statistics.median(times):.3f} s   "
        f"min {min(times):.3f}   max {max(times):.3f}"
    )


def main() -> None:
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        warm = {**os.environ, "ADVISORIES_CACHE": str(Path(folder) / "cache")}
        cold = {**os.environ, "ADVISORIES_CACHE": "off"}
        wall_times(CHECK, 2, warm)  # fills the cache and the OS file cache
        results = [
            ("check, cache warm (target < 0.35 s)", wall_times(CHECK, RUNS, warm)),
            ("check, cache off (parses YAML)", wall_times(CHECK, RUNS, cold)),
            ("python -c 'import pydantic, click'", wall_times(
                ["-c", "import pydantic, click; from pydantic import BaseModel"], RUNS, warm
            )),
            ("python -c pass", wall_times(["-c", "pass"], RUNS, warm)),
        ]  # fmt: skip
    print(f"advisory check Quetta --on 2026-02-10, {RUNS} fresh processes each, one run:")
    for name, times in results:
        print(line(name, times))
    warm_median = statistics.median(results[0][1])
    floor = statistics.median(results[2][1])
    print(f"  warm check / pydantic+click import floor: {warm_median / floor:.2f}x")


if __name__ == "__main__":
    main()
