"""A/B: two git revisions served live in turns, the server CPU each spends per request.

    python bench/ab.py main HEAD                     # small non-streaming request
    python bench/ab.py main HEAD --scenario stream --rounds 24 --seconds 2

Each revision's ``app/`` and ``fixtures/`` are exported (``git archive``) to a temporary
directory and served by this checkout's interpreter with ``PYTHONPATH`` pointing at them
(one uvicorn worker pinned to the last core, reload off, log level warning); ``wrk`` on
core 0 loads them in alternating rounds, and /proc gives each server's CPU. Alternating
means a noisy period of a shared host costs both alike; the paired difference per round
(B - A) is the figure to read, its median beside the medians of each side.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import shapes
from loadgen import WRK_LUA, cpu_seconds, ensure_wrk
from run import STREAM_BODY, cores, free_port

ROOT = Path(__file__).resolve().parents[1]


def export(rev: str, into: Path) -> Path:
    """``rev``'s source, importable as ``messages_sandbox`` from the returned directory."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", rev, "app", "fixtures"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    shim = into / "shim"
    shim.mkdir()
    (shim / "messages_sandbox").symlink_to(into / "app")
    return shim


def serve(shim: Path, fixtures: Path, pin: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    import httpx

    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(shim),
        "SANDBOX_HOST": "127.0.0.1",
        "SANDBOX_PORT": str(port),
        "SANDBOX_FIXTURES": str(fixtures),
        "SANDBOX_LOG_LEVEL": "warning",
        "SANDBOX_RELOAD": "false",
    }
    process = subprocess.Popen(
        [*pin, sys.executable, "-m", "messages_sandbox", "serve"],
        env=env,
        cwd=tempfile.gettempdir(),  # not this checkout: its editable install must not win
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return process, port
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{shim}: the server did not start")


def load(wrk: str, pin: list[str], port: int, body: Path, lua: Path, seconds: int) -> int:
    out = subprocess.run(
        [*pin, wrk, "-t1", "-c32", f"-d{seconds}s", "-s", str(lua),
         f"http://127.0.0.1:{port}/v1/messages"],
        env={**os.environ, "BENCH_BODY_FILE": str(body)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # fmt: skip
    found = re.search(r"(\d+) requests in", out)
    if not found or "Non-2xx" in out:
        raise SystemExit(f"wrk:\n{out}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("a", help="revision A (e.g. main)")
    parser.add_argument("b", help="revision B (e.g. HEAD)")
    parser.add_argument("--scenario", choices=("non-stream", "stream"), default="non-stream")
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=3)
    args = parser.parse_args()

    wrk = ensure_wrk()
    if wrk is None:
        raise SystemExit("bench/ab.py needs wrk (apt-get install wrk)")
    server_pin, load_pin = cores()
    with tempfile.TemporaryDirectory(prefix="sandbox-ab-") as tmp_name:
        tmp = Path(tmp_name)
        lua = tmp / "post.lua"
        lua.write_text(WRK_LUA)
        body = tmp / "body.json"
        body.write_text(json.dumps(STREAM_BODY if args.scenario == "stream" else shapes.small()))
        servers = {}
        for name, rev in (("A", args.a), ("B", args.b)):
            shim = export(rev, tmp / name)
            servers[name] = serve(shim, tmp / name / "fixtures", server_pin)
        try:
            for _, port in servers.values():
                load(wrk, load_pin, port, body, lua, 2)  # warm-up
            cpu: dict[str, list[float]] = {"A": [], "B": []}
            for _ in range(args.rounds):
                for name, (process, port) in servers.items():
                    before = cpu_seconds(process.pid)
                    done = load(wrk, load_pin, port, body, lua, args.seconds)
                    cpu[name].append((cpu_seconds(process.pid) - before) / done * 1e6)
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait()
    for name, rev in (("A", args.a), ("B", args.b)):
        runs = cpu[name]
        print(
            f"{args.scenario} {name} ({rev}): median {statistics.median(runs):.1f} µs CPU/req, "
            f"min {min(runs):.1f}  (runs: {', '.join(f'{r:.0f}' for r in runs)})"
        )
    diffs = [b - a for a, b in zip(cpu["A"], cpu["B"], strict=True)]
    print(f"paired B - A per round: median {statistics.median(diffs):+.1f} µs CPU/req")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
