"""Instructions per request, counted by valgrind: figures that do not move with the host.

    python bench/instructions.py                      # core and whole app, every shape
    python bench/instructions.py --shapes claude-code --what core

Each figure is ``(I(n) - I(0)) / n``: two runs under ``valgrind --tool=callgrind`` of the
same process, one that makes ``n`` more requests than the other after the same set-up and
warm-up, so start-up, imports and the first request's memos cancel out. ``PYTHONHASHSEED=0``
makes both runs hash alike. ``--what core`` counts ``Pipeline.messages`` + ``render_json``
(no HTTP), ``app`` the whole ASGI app in process (journal included), ``startup`` a whole
process up to the first answer of the small request in process (no subtraction), beside the
bare app's.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ("small", "conversation", "claude-code")
COUNTS = {"small": 400, "conversation": 20, "claude-code": 40}


def _body(shape: str) -> bytes:
    import shapes

    made = {"small": shapes.small, "conversation": shapes.conversation}.get(shape)
    return shapes.body(made() if made else shapes.claude_code())


def child(shape: str, what: str, n: int) -> None:
    """The measured process: set up, warm up, then ``n`` requests."""
    sys.path.insert(0, str(ROOT / "bench"))
    from loadgen import HEADERS

    from messages_sandbox.headers import read_caller
    from messages_sandbox.message.render import render_json
    from messages_sandbox.sandbox import Sandbox
    from messages_sandbox.settings import Settings

    body = _body(shape)
    settings = Settings(fixtures=ROOT / "fixtures", reload=False, log_level="warning")
    sandbox = Sandbox(settings)
    if what == "core":
        caller = read_caller(
            {k.encode(): v.encode() for k, v in HEADERS.items()},
            request_id="req_bench",
            query_beta=False,
            api_keys=(),
            known_betas=None,
        )
        messages = sandbox.pipeline.messages

        def one() -> object:
            return render_json(messages(caller, body).message)
    else:
        from inprocess import asgi_caller

        from messages_sandbox.web.app import create_app

        one = asgi_caller(create_app(settings, sandbox=sandbox), body, HEADERS)
    for _ in range(5):
        one()
    for _ in range(n):
        one()


def count(argv: list[str]) -> int:
    """Instructions of one child process under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                *argv,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(done.stderr[-2000:])
        found = re.search(r"Collected : (\d+)", done.stderr)
        assert found, done.stderr[-2000:]
        return int(found.group(1))


_HARNESS = (
    "import sys; sys.path.insert(0, 'bench'); from inprocess import asgi_caller;"
    "from loadgen import HEADERS; import shapes;"
)
_STARTUP = {
    # In the order ``python -m messages_sandbox serve`` takes: the CLI and its settings, then
    # what ``serve`` imports, the app.
    # Collection off until the app is built, as in ``python -m messages_sandbox``.
    "sandbox": "import gc; gc.disable(); import uvicorn; from messages_sandbox.cli import serve;"
    "from messages_sandbox.settings import Settings;"
    "settings = Settings(fixtures='fixtures', reload=False);"
    "from messages_sandbox.sandbox import Sandbox;"
    "from messages_sandbox.web.app import create_app;"
    "from messages_sandbox.web.protocol import bounded_protocol;"
    "app = create_app(settings, sandbox=Sandbox(settings)); gc.freeze(); gc.enable();",
    "bare": "import uvicorn; from bare_app import create_app; app = create_app(b'{}', b'');",
}


def startup(server: str) -> int:
    """Instructions of a whole process until the small request is answered in process:
    imports (uvicorn's too), the app, its first answer."""
    first = "asgi_caller(app, shapes.body(shapes.small()), HEADERS)()"
    return count(["-c", _HARNESS + _STARTUP[server] + first])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--what", default="core,app")
    parser.add_argument("--child", nargs=3, metavar=("SHAPE", "WHAT", "N"))
    args = parser.parse_args()
    if args.child:
        shape, what, n = args.child
        child(shape, what, int(n))
        return
    os.chdir(ROOT)
    for what in args.what.split(","):
        if what == "startup":
            sys.path.insert(0, str(ROOT / "bench"))
            from startup import compiled_package

            compiled_package()
            sandbox, bare = startup("sandbox"), startup("bare")
            print(
                f"startup: {sandbox:,} instructions to the first answer, bare app {bare:,}"
                f" ({sandbox / bare:.2f}x)",
                flush=True,
            )
            continue
        for shape in args.shapes.split(","):
            n = COUNTS[shape]
            here = [str(Path(__file__).resolve()), "--child", shape, what]
            base = count([*here, "0"])
            more = count([*here, str(n)])
            print(f"{what} {shape}: {(more - base) / n:,.0f} instructions per request", flush=True)


if __name__ == "__main__":
    main()
