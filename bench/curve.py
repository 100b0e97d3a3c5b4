"""Cost of one request from 1 KB to 1 MB, for bench/run.py (``python bench/curve.py`` alone).

The agent conversation of bench/shapes.py (text, tool calls and their results, no image)
scaled to each size, sent in process to the whole sandbox ASGI app and to the bare app
(bench/bare_app.py: it reads the body and answers constant bytes). CPU µs per request, best
of 7 batches; the sandbox's cost per KB should stay flat as the request grows (linear cost).
"""

from __future__ import annotations

import sys
from pathlib import Path

import shapes
from inprocess import asgi_caller, per_call

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000)


def curve(fixtures: Path, sizes: tuple[int, ...] = SIZES) -> list[tuple[int, float, float]]:
    """(request bytes, sandbox µs, bare µs) per size."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bare_app import create_app as create_bare
    from loadgen import HEADERS

    from messages_sandbox.sandbox import Sandbox
    from messages_sandbox.settings import Settings
    from messages_sandbox.web.app import create_app

    settings = Settings(fixtures=fixtures, reload=False, log_level="warning", journal_size=1000)
    app = create_app(settings, sandbox=Sandbox(settings))
    answer = b'{"type":"message"}'
    bare = create_bare(answer, b"")
    out = []
    for size in sizes:
        body = shapes.body(shapes.sized(size))
        calls = max(3, min(200, 200_000 // size))
        sandbox_us = per_call(asgi_caller(app, body, HEADERS), calls, 7)
        bare_us = per_call(asgi_caller(bare, body, HEADERS), calls, 7)
        out.append((len(body), sandbox_us, bare_us))
    return out


def print_curve(fixtures: Path) -> None:
    print("  one request by size, in process (CPU µs per request, best of 7 batches):")
    print(f"    {'request':>12} {'sandbox':>10} {'per KB':>8} {'bare':>8} {'over bare':>10}")
    for size, sandbox_us, bare_us in curve(fixtures):
        print(
            f"    {size:>10,} B {sandbox_us:>8.0f} µs {sandbox_us / (size / 1024):>6.1f} µs "
            f"{bare_us:>6.0f} µs {sandbox_us - bare_us:>8.0f} µs"
        )


if __name__ == "__main__":
    print_curve(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fixtures")
