"""Fixture engine at scale: load 10,000 rules, then the added latency per request.

    python bench/matching.py              # 10,000 rules, 20,000 requests
    python bench/matching.py --rules 50000

Writes a temporary fixtures directory (10 files) with a realistic mix:
  90 %  exact `last_user_text` rules (some with a model too)   -> indexed by text
   8 %  exact model + `contains` on the text                  -> indexed by model
   2 %  regex / any / tools rules with no exact discriminator  -> visited by every request
and measures ``load_fixture_set`` (YAML + validation + compile + index) and
``Playback.play`` (the whole fixture step a request pays: match, script step, template
render, Reply) for a mix of hits and misses. Targets: load < 3 s, p99 < 1 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.fixtures import load_fixture_set  # noqa: E402
from app.headers import Caller  # noqa: E402
from app.playback import Playback  # noqa: E402

MODELS = ["claude-sonnet-4-6", "claude-opus-4-6", "claude-haiku-4-5", "claude-sonnet-4-5"]


def write_rules(root: Path, count: int, files: int = 10) -> None:
    per_file = count // files
    n = 0
    for f in range(files):
        lines = ["rules:"]
        for _ in range(per_file):
            kind = n % 50
            if kind < 45:
                model = f"\n      model: {MODELS[n % 4]}" if n % 3 == 0 else ""
                lines.append(
                    f"  - id: exact-{n}\n    match:\n      last_user_text: \"question {n}\"{model}\n"
                    f"    reply:\n      text: \"answer {n}\""
                )
            elif kind < 49:
                lines.append(
                    f"  - id: model-{n}\n    match:\n      model: {MODELS[n % 4]}\n"
                    f"      last_user_text: {{contains: \"topic-{n}\"}}\n"
                    f"    reply:\n      text: \"about topic {n}\""
                )
            else:
                lines.append(
                    f"  - id: regex-{n}\n    match:\n"
                    f"      any:\n        - last_user_text: {{regex: \"^ticket (?P<id>{n})-\\\\d+$\"}}\n"
                    f"        - tools: {{include: [tool_{n}]}}\n"
                    f"    reply:\n      text: \"ticket {{{{ match.id }}}}\""
                )
            n += 1
        (root / f"rules-{f:02d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def requests(count: int, rules: int, rng: random.Random) -> list[dict]:
    out = []
    for i in range(count):
        roll = i % 10
        model = MODELS[rng.randrange(4)]
        if roll < 6:
            n = rng.randrange(rules)
            n -= n % 50 % 45 if n % 50 >= 45 else 0
            text = f"question {n}"
        elif roll < 8:
            text = f"something about topic-{rng.randrange(rules)} please"
        elif roll < 9:
            text = f"ticket {rng.randrange(rules)}-7"
        else:
            text = "a request no rule matches, answered by the default responder"
        out.append(
            {
                "model": model,
                "max_tokens": 256,
                "messages": [{"role": "user", "content": text}],
            }
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(7)
    caller = Caller(request_id="req_bench", api_key="k", version="2023-06-01")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_rules(root, args.rules)
        started = time.perf_counter()
        fixtures = load_fixture_set(root)
        load_s = time.perf_counter() - started
    playback = Playback(fixtures)
    batch = requests(args.requests, args.rules, rng)
    for request in batch[:2000]:  # warm-up
        playback.play(request, caller)
    timings = []
    hits = 0
    for request in batch:
        t0 = time.perf_counter_ns()
        played = playback.play(request, caller)
        timings.append((time.perf_counter_ns() - t0) / 1e6)
        hits += played is not None
    timings.sort()
    p50 = timings[len(timings) // 2]
    p99 = timings[int(len(timings) * 0.99)]
    print(f"rules loaded:        {len(fixtures.rules):,} in {load_s:.2f} s (target < 3 s)")
    print(f"requests:            {len(batch):,} ({hits:,} matched a rule)")
    print(f"added latency:       p50 {p50 * 1000:.0f} us, p99 {p99 * 1000:.0f} us, "
          f"max {timings[-1] * 1000:.0f} us, mean {statistics.fmean(timings) * 1000:.0f} us "
          f"(target p99 < 1000 us)")
    ok = load_s < 3 and p99 < 1
    print("result:              " + ("OK" if ok else "OVER TARGET"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
