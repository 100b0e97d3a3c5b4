"""What shared state costs, and what a second worker gives (issue #17).

    python bench/scale.py                # 3 s warm-up + 8 s per measurement, best of 3
    python bench/scale.py --quick        # 1 s + 3 s, one run

Starts a real ``redis-server`` (Debian's, on a free port, no persistence) and, one after
the other, sandboxes with the shipped fixtures (reload off, log level warning):

1. **cost per request**: one worker with state in memory against one worker with state in
   Redis, the server pinned to the last core and the load generator (``wrk -t1 -c32``) and
   Redis to the first; reported as requests/s, server CPU µs per request and Redis CPU µs
   per request, for a small request outside any session and the same request in a session
   (``/session/S``: the session view is a Lua script instead of one ``HGET``);
2. **workers**: requests/s with state in Redis and 1 or 2 workers, nothing pinned. On a
   2-core machine the load generator and Redis share the cores with the workers, so the
   second worker cannot double the rate: the figure is what this machine gives, printed
   with the CPU each part used.

Everything listens on 127.0.0.1 and everything started here is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from loadgen import WRK_LUA, Result, cpu_seconds, ensure_wrk, run_python_loadgen, run_wrk
from run import PYTHON, ROOT, cores, free_port, serve
from shapes import small


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its worker processes."""
    return cpu_seconds(pid) + sum(cpu_seconds(c) for c in children(pid))


def start_redis(tmp: Path, pin: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    redis = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(redis).exists():
        raise SystemExit("redis-server is not installed: apt-get install -y redis-server")
    port = free_port()
    process = subprocess.Popen(
        [
            *pin,
            redis,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.3)
    return process, port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--loadgen", choices=("wrk", "python"), default="wrk")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.runs = 3.0, 1.0, 1
    wrk = ensure_wrk() if args.loadgen == "wrk" else None
    server_pin, load_pin = cores()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scale-")))
        body = tmp / "body.json"
        body.write_bytes(json.dumps(small()).encode())
        lua = tmp / "post.lua"
        lua.write_text(WRK_LUA)
        redis, redis_port = start_redis(tmp, load_pin)
        stack.callback(lambda: (redis.terminate(), redis.wait(10)))
        state_url = f"redis://127.0.0.1:{redis_port}/0"

        def measure(url: str, server_pid: int) -> tuple[Result, float]:
            """Best of ``runs``: the result and Redis's CPU µs per request in that run."""

            def load(seconds: float) -> Result:
                if wrk:
                    return run_wrk(load_pin, url, body, lua, seconds, args.connections)
                return run_python_loadgen(load_pin, url, body, seconds, args.connections)

            load(args.warmup)
            best: tuple[Result, float] | None = None
            for _ in range(args.runs):
                server0, redis0 = tree_cpu(server_pid), cpu_seconds(redis.pid)
                result = load(args.duration)
                result.cpu = tree_cpu(server_pid) - server0
                redis_us = (cpu_seconds(redis.pid) - redis0) / max(result.requests, 1) * 1e6
                if best is None or result.rate > best[0].rate:
                    best = (result, redis_us)
            assert best is not None
            return best

        def server(name: str, pin: list[str], workers: int, state: bool) -> dict[str, object]:
            port = free_port()
            env = {
                "SANDBOX_PORT": str(port),
                "SANDBOX_RELOAD": "false",
                "SANDBOX_LOG_LEVEL": "warning",
                "SANDBOX_DATA_DIR": str(tmp / "data"),
                "SANDBOX_STATE_URL": state_url if state else "",
                "SANDBOX_WORKERS": str(workers),
            }
            base = f"http://127.0.0.1:{port}"
            cmd = [*pin, PYTHON, "-m", "messages_sandbox", "serve"]
            with serve(cmd, env, tmp / f"{name}.log", base + "/v1/messages") as process:
                time.sleep(2.0 if workers > 1 else 0.2)  # every worker up, not just one
                rows: dict[str, object] = {}
                for scenario, path in (
                    ("plain", "/v1/messages"),
                    ("session", "/session/bench/v1/messages"),
                ):
                    result, redis_us = measure(base + path, process.pid)
                    rows[scenario] = (result, redis_us)
                    print(
                        f"{name:<28} {scenario:<8} {result.rate:8.0f} req/s "
                        f"{result.cpu_per_request:6.0f} µs server CPU/req "
                        f"{redis_us:5.0f} µs Redis CPU/req  errors {result.errors}",
                        flush=True,
                    )
                return rows

        print(
            f"load generator: {'wrk' if wrk else 'python'} -c{args.connections}; "
            f"{args.warmup:g} s warm-up, best of {args.runs} x {args.duration:g} s"
        )
        print("-- cost of shared state: one worker, server pinned to one core")
        memory = server("1 worker, memory", server_pin, 1, state=False)
        shared = server("1 worker, Redis", server_pin, 1, state=True)
        for scenario in ("plain", "session"):
            m, _ = memory[scenario]  # type: ignore[misc]
            r, redis_us = shared[scenario]  # type: ignore[misc]
            print(
                f"   {scenario}: Redis costs {r.cpu_per_request - m.cpu_per_request:+.0f} µs "
                f"server CPU and {redis_us:.0f} µs Redis CPU per request; "
                f"{r.rate / m.rate:.2f}x the req/s of memory"
            )
        print("-- workers, state in Redis, nothing pinned (wrk and Redis share the cores)")
        one = server("1 worker, Redis, unpinned", [], 1, state=True)
        two = server("2 workers, Redis, unpinned", [], 2, state=True)
        for scenario in ("plain", "session"):
            r1, _ = one[scenario]  # type: ignore[misc]
            r2, _ = two[scenario]  # type: ignore[misc]
            print(f"   {scenario}: 2 workers give {r2.rate / r1.rate:.2f}x the req/s of 1")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.chdir(ROOT)
    raise SystemExit(main())
