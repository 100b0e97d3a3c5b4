"""Fixture engine at scale: load 10,000 rules, then the added latency per request.

    python bench/matching.py              # 10,000 rules, 20,000 requests
    python bench/matching.py --rules 50000

Writes a temporary fixtures directory (10 files) with a realistic mix:
  90 %  exact `last_user_text` (a third with a model too)  -> looked up by text
   6 %  exact model + `contains` on the text              -> model bucket, literal prefilter
   3.5% regex on the text, no exact discriminator         -> every request, literal prefilter
   0.5% `any` of a regex or a tool name                   -> visited by every request
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

from messages_sandbox.fixtures.loader import load_fixture_set
from messages_sandbox.fixtures.playback import Playback
from messages_sandbox.headers import Caller
from messages_sandbox.request import RequestView

MODELS = ["claude-sonnet-4-6", "claude-opus-4-6", "claude-haiku-4-5", "claude-sonnet-4-5"]


def write_rules(root: Path, count: int, files: int = 10) -> None:
    per_file = count // files
    n = 0
    for f in range(files):
        lines = ["rules:"]
        for _ in range(per_file):
            kind = n % 200
            if kind < 180:
                model = f"\n      model: {MODELS[n % 4]}" if n % 3 == 0 else ""
                lines.append(
                    f'  - id: exact-{n}\n    match:\n      last_user_text: "question {n}"{model}\n'
                    f'    reply:\n      text: "answer {n}"'
                )
            elif kind < 192:
                lines.append(
                    f"  - id: model-{n}\n    match:\n      model: {MODELS[n % 4]}\n"
                    f'      last_user_text: {{contains: "topic-{n}"}}\n'
                    f'    reply:\n      text: "about topic {n}"'
                )
            elif kind < 199:
                lines.append(
                    f"  - id: regex-{n}\n    match:\n"
                    f'      last_user_text: {{regex: "^ticket (?P<id>{n})-\\\\d+$"}}\n'
                    f'    reply:\n      text: "ticket {{{{ match.id }}}}"'
                )
            else:
                lines.append(
                    f"  - id: any-{n}\n    match:\n"
                    f'      any:\n        - last_user_text: {{regex: "^case (?P<id>{n})$"}}\n'
                    f"        - tools: {{include: [tool_{n}]}}\n"
                    f'    reply:\n      text: "case {n}"'
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
            text = f"question {n - n % 200 + n % 180}"
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
        wall, cpu = time.perf_counter(), time.process_time()
        fixtures = load_fixture_set(root)
        load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    playback = Playback()
    batch = requests(args.requests, args.rules, rng)
    for request in batch[:2000]:  # warm-up
        playback.play(fixtures, RequestView(request, caller))
    walls, cpus = [], []
    hits = 0
    for request in batch:
        w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        played = playback.play(fixtures, RequestView(request, caller))
        cpus.append((time.thread_time_ns() - c0) / 1e3)
        walls.append((time.perf_counter_ns() - w0) / 1e3)
        hits += played is not None
    print(
        f"rules loaded:   {len(fixtures.rules):,} in {load_wall:.2f} s wall, "
        f"{load_cpu:.2f} s CPU (target < 3 s)"
    )
    print(f"requests:       {len(batch):,} ({hits:,} matched a rule)")
    for name, series in (("wall", walls), ("CPU", cpus)):
        series.sort()
        p50, p99 = series[len(series) // 2], series[int(len(series) * 0.99)]
        print(
            f"added latency:  {name:4} p50 {p50:.0f} us, p99 {p99:.0f} us, "
            f"mean {statistics.fmean(series):.0f} us (target p99 < 1000 us)"
        )
    # Wall-clock figures include time stolen by other processes on a busy machine; the CPU
    # figures are what the fixture step itself costs.
    cpus.sort()
    ok = load_cpu < 3 and cpus[int(len(cpus) * 0.99)] < 1000
    print("result:         " + ("OK" if ok else "OVER TARGET"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
