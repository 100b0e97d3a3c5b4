"""Load generators for bench/run.py: ``wrk`` when available, else an asyncio client.

Both count complete 2xx answers over a fixed duration on keep-alive connections; run this
file as ``python bench/loadgen.py URL BODY_FILE SECONDS CONNECTIONS`` for the asyncio one
(bench/run.py does, pinned to the load generator's core).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HEADERS = {
    "x-api-key": "sk-ant-bench",
    "anthropic-version": "2023-06-01",
    "content-type": "application/json",
}


@dataclass
class Result:
    requests: int
    seconds: float
    errors: int
    cpu: float = 0.0
    """CPU seconds the server process used during the run (user + system)."""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_request(self) -> float:
        """Server CPU µs per request: unlike req/s, barely moved by other load on the box."""
        return self.cpu / self.requests * 1e6 if self.requests else float("inf")


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


WRK_LUA = """
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["x-api-key"] = "sk-ant-bench"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["content-type"] = "application/json"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("installing wrk with apt-get ...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], **quiet, check=False)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], **quiet, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], **quiet, check=False)
    return shutil.which("wrk")


def run_wrk(
    pin: list[str], url: str, body_file: Path, lua: Path, seconds: float, conns: int
) -> Result:
    cmd = [
        *pin,
        "wrk",
        "-t1",
        f"-c{conns}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(lua),
        url,
    ]
    env = {**os.environ, "BENCH_BODY_FILE": str(body_file)}
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    m = re.search(r"^BENCH (\d+) (\d+) (\d+)$", out, re.M)
    if not m:
        raise SystemExit(f"unexpected wrk output:\n{out}")
    return Result(int(m[1]), int(m[2]) / 1e6, int(m[3]))


def run_python_loadgen(
    pin: list[str], url: str, body_file: Path, seconds: float, conns: int
) -> Result:
    cmd = [*pin, sys.executable, __file__, url, str(body_file), str(seconds), str(conns)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    requests, elapsed, errors = out.split()
    return Result(int(requests), float(elapsed), int(errors))


async def _loadgen(url: str, body: bytes, seconds: float, conns: int) -> tuple[int, float, int]:
    """Keep-alive HTTP/1.1 clients that count complete 2xx responses (length or chunked)."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    path = "/" + url.split("//", 1)[1].split("/", 1)[1]
    head = "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
    request = (
        f"POST {path} HTTP/1.1\r\nhost: {host}:{port}\r\n{head}content-length: {len(body)}\r\n\r\n"
    ).encode() + body
    done = errors = 0
    deadline = time.monotonic() + seconds

    async def one() -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.monotonic() < deadline:
            writer.write(request)
            status = await reader.readuntil(b"\r\n")
            headers = (await reader.readuntil(b"\r\n\r\n")).lower()
            m = re.search(rb"content-length: *(\d+)", headers)
            if m:
                await reader.readexactly(int(m[1]))
            else:
                await reader.readuntil(b"\r\n0\r\n\r\n")
            if status.split()[1].startswith(b"2"):
                done += 1
            else:
                errors += 1
        writer.close()

    started = time.monotonic()
    await asyncio.gather(*(one() for _ in range(conns)))
    return done, time.monotonic() - started, errors


if __name__ == "__main__":
    url, body_file, seconds, conns = sys.argv[1:5]
    done, elapsed, errors = asyncio.run(
        _loadgen(url, Path(body_file).read_bytes(), float(seconds), int(conns))
    )
    print(done, elapsed, errors)
