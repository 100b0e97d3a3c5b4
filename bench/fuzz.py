"""A long fuzz run against a live sandbox: how many answers were 5xx (the goal: none).

    .venv/bin/python bench/fuzz.py                     # 10,000 requests to a server it starts
    .venv/bin/python bench/fuzz.py --requests 50000 --url http://127.0.0.1:8080

The requests are the test suite's (tests/test_never_500.py): real, valid Messages requests
with one value replaced by arbitrary JSON, a deeply nested value or an arbitrary JSON Schema
(forced tool or structured output), or deleted; a tenth go to count_tokens. Each Messages
request's journal entry is read back as a fixture rule, and every 50th request is followed by a
read of the journal (these reads are counted too). Not part of the default suite: it takes a
few minutes. Prints the status histogram and exits 1 when any answer was 5xx.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import HEADERS, start_server  # noqa: E402
from test_never_500 import mutated_requests  # noqa: E402

from messages_sandbox.nesting import dumps  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--url", help="a running sandbox (default: start one)")
    args = parser.parse_args()

    server = None
    if args.url is None:
        server = start_server(Path(tempfile.mkdtemp(prefix="sandbox-fuzz-")))
    base_url = args.url or server.base_url  # type: ignore[union-attr]
    statuses: collections.Counter[int] = collections.Counter()
    reads: collections.Counter[int] = collections.Counter()  # the journal read back
    failures: list[str] = []
    started = time.monotonic()
    try:
        with httpx.Client(base_url=base_url, timeout=60) as http:

            @settings(
                max_examples=args.requests,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(request=mutated_requests(), counting=st.integers(0, 9))
            def send(request: dict, counting: int) -> None:
                path = "/v1/messages"
                if counting == 0:
                    path += "/count_tokens"
                    request = {k: v for k, v in request.items() if k != "max_tokens"}
                body = dumps(request)
                try:
                    orjson.loads(body)
                except orjson.JSONDecodeError:
                    return  # deeper than the parser takes: no client can send it
                response = http.post(path, content=body, headers=HEADERS)
                statuses[response.status_code] += 1
                sent = sum(statuses.values())
                if response.status_code >= 500 and len(failures) < 20:
                    failures.append(f"{path} {body[:300]!r} -> {response.text[:300]}")
                if sent % 50 == 0:
                    journal = http.get("/_sandbox/requests", params={"limit": "5"})
                    reads[journal.status_code] += 1
                    if journal.status_code >= 500:
                        failures.append(f"journal read -> {journal.text[:300]}")
                if path == "/v1/messages":
                    # The entry, as a fixture rule: the journal's own way to read a request.
                    rid = response.headers.get("request-id", "")
                    rule = http.get(f"/_sandbox/requests/{rid}/fixture")
                    reads[rule.status_code] += 1
                    if rule.status_code >= 500 and len(failures) < 20:
                        failures.append(f"fixture of {body[:300]!r} -> {rule.text[:300]}")

            while sum(statuses.values()) < args.requests:
                send()
    finally:
        if server is not None:
            server.stop()
    seconds = time.monotonic() - started
    errors = 0
    for name, counts in (("fuzzed requests", statuses), ("journal reads", reads)):
        fives = sum(n for status, n in counts.items() if status >= 500)
        errors += fives
        histogram = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
        print(f"{sum(counts.values())} {name}: 5xx {fives}; {histogram}")
    print(f"{seconds:.0f} s in all")
    for failure in failures:
        print("  5xx:", failure)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
