"""Command line: ``messages-sandbox serve``, ``validate <dir>`` and ``record --out <dir>``."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import signal
import sys
from pathlib import Path

from .errors import FixtureError, OutDirError
from .settings import PREFIX, Settings

RECORD_FLAGS = ("upstream", "record_dir", "redact")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="messages-sandbox",
        description="messages-sandbox: a local emulation of Anthropic's Messages API.",
    )
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the API (the default command)")
    serve.add_argument("--host", help="interface (env SANDBOX_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (env SANDBOX_PORT, default 8080)")
    serve.add_argument("--fixtures", type=Path, help="fixtures dir (env SANDBOX_FIXTURES)")
    serve.add_argument("--data-dir", type=Path, help="files/batches dir (env SANDBOX_DATA_DIR)")
    serve.add_argument("--strict", action="store_true", default=None, help="strict mode")
    serve.add_argument("--log-level", help="log level (env SANDBOX_LOG_LEVEL)")
    serve.add_argument(
        "--workers",
        type=int,
        help="worker processes (env SANDBOX_WORKERS, default 1); above 1 needs "
        "SANDBOX_STATE_URL (Redis), where they keep their shared state",
    )
    serve.add_argument(
        "--no-reload",
        dest="reload",
        action="store_false",
        default=None,
        help="do not watch the fixtures directory",
    )
    serve.add_argument(
        "--record-on-miss",
        action="store_true",
        default=None,
        help="forward requests no rule matches to --upstream, record them into the fixtures "
        "(or --out, inside them) and serve them from then on",
    )
    _recording_flags(serve, out_help="where record-on-miss writes (inside --fixtures)")
    validate = sub.add_parser("validate", help="check a fixtures directory and exit")
    validate.add_argument("fixtures", type=Path, nargs="?", default=None)
    record = sub.add_parser(
        "record", help="proxy to the real API and record every exchange as fixtures"
    )
    record.add_argument("--host", help="interface (env SANDBOX_HOST, default 127.0.0.1)")
    record.add_argument("--port", type=int, help="port (env SANDBOX_PORT, default 8080)")
    record.add_argument("--log-level", help="log level (env SANDBOX_LOG_LEVEL)")
    _recording_flags(record, out_help="directory the recorded fixture file goes to (required)")
    return parser


def _recording_flags(parser: argparse.ArgumentParser, *, out_help: str) -> None:
    parser.add_argument(
        "--upstream", help="where requests are forwarded (default https://api.anthropic.com)"
    )
    parser.add_argument("--out", dest="record_dir", type=Path, metavar="DIR", help=out_help)
    parser.add_argument(
        "--redact",
        action="append",
        metavar="REGEX",
        help="record text matching REGEX as <redacted> (repeatable)",
    )


def main(argv: list[str] | None = None) -> int:
    # Start-up makes ~85,000 objects (modules, classes, validators, the fixtures) that live as
    # long as the process, and hardly any garbage: the collections it would trigger walk them
    # again and again (4% of the instructions to the first answer) and find next to nothing.
    # Collection resumes once the server is built (``_started``), or when the command ends.
    gc.disable()
    try:
        return _command(argv)
    finally:
        gc.enable()


def _command(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "serve"
    if command == "validate":
        return _validate(args.fixtures)
    names = ("host", "port", "fixtures", "data_dir", "strict", "log_level", "reload", "workers")
    overrides = {k: getattr(args, k, None) for k in (*names, "record_on_miss", *RECORD_FLAGS)}
    if overrides["redact"] is not None:
        overrides["redact"] = tuple(overrides["redact"])
    settings = Settings.from_env(**overrides)
    if command == "record":
        return record(settings)
    return serve(settings)


def _started() -> None:
    """Collection resumes, the start-up's objects out of its sight (``gc.freeze``): otherwise
    the first collections, all of them in the youngest generation, would walk every one of
    them during the first requests. The few cycles start-up left (~0.3 MB) stay."""
    gc.freeze()
    gc.enable()


_CHATTY = ("httpx", "watchfiles")
"""Libraries whose info lines repeat ours (``recorded req_…``, ``fixtures reloaded``)."""


def _log_config(settings: Settings) -> None:
    level = settings.log_level.upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        for name in _CHATTY:
            logging.getLogger(name).setLevel(logging.WARNING)


def serve(settings: Settings) -> int:
    import uvicorn

    from .sandbox import Sandbox
    from .web.app import create_app
    from .web.protocol import bounded_protocol

    _log_config(settings)
    if settings.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    if settings.workers > 1:
        return serve_workers(settings)
    try:
        sandbox = Sandbox(settings)
        app = create_app(settings, sandbox=sandbox)
    except (FixtureError, OutDirError, re.error) as exc:
        print(f"error: {_said(exc)}", file=sys.stderr)
        return 2
    logging.getLogger("messages_sandbox").info("%s", sandbox.describe())
    # uvicorn stops gracefully on SIGTERM, then raises the signal again for the handler that
    # was there before it; Python's default would end the process with status 143. This one
    # ends it with 0, the status of a clean stop (`docker stop`, systemd, CI teardown), and
    # also stops cleanly on a SIGTERM that arrives before uvicorn is listening.
    signal.signal(signal.SIGTERM, _stopped)
    _started()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        # uvicorn's httptools protocol with a read timeout, a head size limit and malformed
        # HTTP answered in Anthropic's envelope (``web.protocol``).
        http=bounded_protocol(settings.read_timeout),
        log_level=settings.log_level,
        timeout_graceful_shutdown=int(settings.graceful_timeout) or None,
        access_log=False,
        # The routes read `x-forwarded-proto` themselves (batch result URLs); uvicorn's
        # proxy-header middleware would be one more layer on every request for nothing.
        proxy_headers=False,
        # The real API does not answer with `server: uvicorn`; no header beats a false one.
        server_header=False,
    )
    return 0


def serve_workers(settings: Settings) -> int:
    """``serve --workers N``: uvicorn's worker processes on one socket, each building the
    app from the environment (``web.app.create_app_from_env``), their state in Redis."""
    import uvicorn.supervisors

    from .snapshot import load_snapshot
    from .web.protocol import WorkersConfig

    if settings.state_url is None:
        print(
            f"error: --workers {settings.workers} needs SANDBOX_STATE_URL=redis://host:port/db: "
            "worker processes share nothing in memory, so each would keep its own journal, "
            "sessions, script counters, threads and indexes (README: Scale out)",
            file=sys.stderr,
        )
        return 2
    if settings.record_on_miss:
        print("error: --record-on-miss records from one process: drop --workers", file=sys.stderr)
        return 2
    try:
        load_snapshot(settings)  # a bad fixtures directory stops here, not in N workers
    except FixtureError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if settings.data_dir is None:
        # One directory for all the workers' files and batch results, as for replicas.
        settings = settings.model_copy(update={"data_dir": settings.resolved_data_dir()})
    os.environ.update(settings_environment(settings))
    logging.getLogger("messages_sandbox").info(
        "starting %d worker processes; state in Redis", settings.workers
    )
    config = WorkersConfig(
        "messages_sandbox.web.app:create_app_from_env",
        factory=True,
        workers=settings.workers,
        read_timeout=settings.read_timeout,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        timeout_graceful_shutdown=int(settings.graceful_timeout) or None,
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )
    sock = config.bind_socket()
    _started()
    uvicorn.supervisors.Multiprocess(config, sockets=[sock]).run()
    return 0


def settings_environment(settings: Settings) -> dict[str, str]:
    """``settings`` as the ``SANDBOX_*`` variables that make them again (for the workers)."""
    out: dict[str, str] = {}
    for name, field in type(settings).model_fields.items():
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, tuple):
            # `redact` holds regexes, one per line (a regex may hold a comma).
            text = ("\n" if name == "redact" else ",").join(value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = str(value)
        if value != field.default or name in settings.model_fields_set:
            out[PREFIX + name.upper()] = text
    return out


def record(settings: Settings) -> int:
    """The recording proxy, until interrupted."""
    import uvicorn

    from .recorder.proxy import recording_proxy

    _log_config(settings)
    try:
        proxy = recording_proxy(settings)
    except (FixtureError, OutDirError, re.error) as exc:
        print(f"error: {_said(exc)}", file=sys.stderr)
        return 2
    print(
        f"recording {settings.upstream} into {proxy.capture.recording.path} "
        f"(point your app at http://{settings.host}:{settings.port})",
        file=sys.stderr,
    )
    signal.signal(signal.SIGTERM, _stopped)  # as in `serve`: a clean stop exits 0
    _started()
    uvicorn.run(
        proxy,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        proxy_headers=False,
        # The upstream's own `date` and `server` headers are passed on, not doubled.
        server_header=False,
        date_header=False,
    )
    return 0


def _said(exc: Exception) -> str:
    if isinstance(exc, re.error):
        return f"--redact {exc.pattern!r}: {exc}"
    return str(exc)


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _validate(fixtures: Path | None) -> int:
    """Everything the server reads from the fixtures directory: the rules, the model
    catalogue and ``rate_limits.yaml``."""
    from .snapshot import load_snapshot

    # SANDBOX_RATE_LIMITS is not a fixture: only the file is checked.
    settings = Settings.from_env(fixtures=fixtures, rate_limits="")
    try:
        snapshot = load_snapshot(settings)
    except FixtureError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"ok: {snapshot.summary()}")
    return 0
