"""Start-up to the first answer, for bench/run.py: the sandbox against the bare app.

Each round starts a server process, sends the small request every 5 ms until it answers
200, and records the wall time from ``Popen`` to that answer and the server's CPU time by
then (user + system, from /proc: steadier than wall time on a shared machine). Rounds take
turns between the two servers; the medians are compared (target: the sandbox within
2.5x the bare app's wall time).

The package's bytecode is compiled first (``compiled_package``), as a ``pip install`` does:
with ``PYTHONDONTWRITEBYTECODE=1`` (set on some machines, and in the Docker image, whose
pip install compiles it anyway) an editable install would otherwise compile every module
from source at each start, which measures the compiler, not the start-up.
"""

from __future__ import annotations

import compileall
import http.client
import importlib.util
import os
import statistics
import subprocess
import time
from pathlib import Path

from loadgen import HEADERS, cpu_seconds

TARGET = 2.5


def compiled_package() -> None:
    """Write the ``.pyc`` files of ``messages_sandbox`` (and of bench/, the bare app) if stale."""
    spec = importlib.util.find_spec("messages_sandbox")
    assert spec is not None and spec.submodule_search_locations, "messages_sandbox not installed"
    for where in [*spec.submodule_search_locations, str(Path(__file__).parent)]:
        compileall.compile_dir(where, quiet=1)


def first_answer(
    cmd: list[str], env: dict[str, str], port: int, body: bytes, cwd: Path
) -> tuple[float, float]:
    """(seconds from start to the first 200, server CPU seconds by then)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd,
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"{' '.join(cmd)}: exited with {process.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("POST", "/v1/messages", body=body, headers=HEADERS)
                status = conn.getresponse().status
                conn.close()
            except OSError:
                time.sleep(0.005)
                continue
            if status == 200:
                return time.perf_counter() - started, cpu_seconds(process.pid)
            raise SystemExit(f"{' '.join(cmd)}: first answer {status}")
        raise SystemExit(f"{' '.join(cmd)}: no answer within 60 s")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def print_startup(
    *,
    sandbox_cmd: list[str],
    sandbox_env: dict[str, str],
    bare_cmd: list[str],
    bare_env: dict[str, str],
    body: bytes,
    rounds: int,
    cwd: Path,
) -> bool:
    """Print the start-up figures; True when the target is met."""
    compiled_package()
    sandbox_port = int(sandbox_env["SANDBOX_PORT"])
    bare_port = int(bare_cmd[bare_cmd.index("--port") + 1])
    runs: dict[str, list[tuple[float, float]]] = {"sandbox": [], "bare": []}
    for _ in range(rounds):
        runs["sandbox"].append(first_answer(sandbox_cmd, sandbox_env, sandbox_port, body, cwd))
        runs["bare"].append(first_answer(bare_cmd, bare_env, bare_port, body, cwd))
    medians = {
        name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for name, r in runs.items()
    }
    print(f"  start-up to the first answer ({rounds} rounds each, interleaved; medians):")
    for name, (wall, cpu) in medians.items():
        walls = ", ".join(f"{w:.2f}" for w, _ in runs[name])
        print(f"    {name:<8} {wall:5.2f} s wall, {cpu:5.2f} s CPU   (runs: {walls} s)")
    wall_ratio = medians["sandbox"][0] / medians["bare"][0]
    cpu_ratio = medians["sandbox"][1] / max(medians["bare"][1], 1e-9)
    met = wall_ratio <= TARGET
    verdict = "ok" if met else "ABOVE TARGET"
    print(
        f"    sandbox / bare: {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU   "
        f"target <= {TARGET}x  {verdict}"
    )
    return met
