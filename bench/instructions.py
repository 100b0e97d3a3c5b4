"""Instructions per request, counted by valgrind: figures that do not move with the host.

    python bench/instructions.py                      # core and whole app, every shape
    python bench/instructions.py --shapes claude-code --what core

Each figure is ``(I(n) - I(0)) / n``: two runs under ``valgrind --tool=callgrind`` of the
same process, one that makes ``n`` more requests than the other after the same set-up and
warm-up, so start-up, imports and the first request's memos cancel out. ``PYTHONHASHSEED=0``
makes both runs hash alike. ``--what core`` counts ``Pipeline.messages`` + ``render_json``
(no HTTP), ``app`` the whole ASGI app in process (journal included), ``bare`` the bare
Starlette app of bench/run.py in process, ``live`` and ``live-bare`` the whole server process
(``serve``: uvicorn, its HTTP protocol, the sockets) answering requests one at a time on one
keep-alive connection from a client outside valgrind, ``startup`` a whole process up to the
first answer of the small request in process (no subtraction), beside the bare app's.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
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
    elif what == "bare":
        from bare_app import create_app as create_bare
        from inprocess import asgi_caller

        one = asgi_caller(create_bare(b"{}", b""), body, HEADERS)
    else:
        from inprocess import asgi_caller

        from messages_sandbox.web.app import create_app

        one = asgi_caller(create_app(settings, sandbox=sandbox), body, HEADERS)
    for _ in range(5):
        one()
    for _ in range(n):
        one()


def count(argv: list[str], drive: tuple[str, int] | None = None) -> int:
    """Instructions of one child process under callgrind; ``drive``: the child is a server,
    sent ``drive[1]`` requests of that shape (after the warm-up) and then stopped."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable]
        if drive is None:
            done = subprocess.run(
                [*cmd, *argv], env=env, capture_output=True, text=True, check=False
            )
        else:
            done = _driven([*cmd, *argv], env, *drive)
        if done.returncode:
            raise RuntimeError(done.stderr[-2000:])
        found = re.search(r"Collected : (\d+)", done.stderr)
        assert found, done.stderr[-2000:]
        return int(found.group(1))


_SERVERS = {
    "live": ["-m", "messages_sandbox", "serve"],
    # bench/run.py's bare server, answering ``{}``.
    "live-bare": [
        "-m",
        "uvicorn",
        "--app-dir",
        "bench",
        "--factory",
        "bare_app:app_factory",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--log-level",
        "warning",
        "--no-access-log",
    ],
}


def _driven(
    cmd: list[str], env: dict[str, str], shape: str, n: int
) -> subprocess.CompletedProcess[str]:
    """Start the server, send it ``5 + n`` requests one after another on one connection
    (no connection is made before it listens: failed connects cost the server nothing), stop
    it with SIGTERM (a graceful stop: its shutdown is the same in both runs)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **env,
        "SANDBOX_HOST": "127.0.0.1",
        "SANDBOX_PORT": str(port),
        "SANDBOX_FIXTURES": str(ROOT / "fixtures"),
        "SANDBOX_LOG_LEVEL": "warning",
        "SANDBOX_RELOAD": "false",
    }
    cmd = [part.replace("{port}", str(port)) for part in cmd]
    server = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        sys.path.insert(0, str(ROOT / "bench"))
        from loadgen import HEADERS

        body = _body(shape)
        head = "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
        request = (
            f"POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n{head}"
            f"content-length: {len(body)}\r\n\r\n"
        ).encode() + body
        deadline = time.monotonic() + 300
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        with conn:
            reader = conn.makefile("rb")
            for _ in range(5 + n):
                conn.sendall(request)
                status = reader.readline()
                if b" 200 " not in status:
                    raise RuntimeError(f"answered {status!r}")
                length = 0
                while (line := reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                reader.read(length)
        server.terminate()
        _, stderr = server.communicate(timeout=300)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    # uvicorn run directly ends by raising the SIGTERM again: that is its clean stop.
    code = 0 if server.returncode == -15 else server.returncode
    return subprocess.CompletedProcess(cmd, code, "", stderr)


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
            if what in _SERVERS:
                base = count(_SERVERS[what], (shape, 0))
                more = count(_SERVERS[what], (shape, n))
            else:
                here = [str(Path(__file__).resolve()), "--child", shape, what]
                base = count([*here, "0"])
                more = count([*here, str(n)])
            print(f"{what} {shape}: {(more - base) / n:,.0f} instructions per request", flush=True)


if __name__ == "__main__":
    main()
