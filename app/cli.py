"""Command line: ``messages-sandbox serve`` and ``messages-sandbox validate <dir>``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import FixtureError
from .settings import Settings


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
        "--no-reload",
        dest="reload",
        action="store_false",
        default=None,
        help="do not watch the fixtures directory",
    )
    validate = sub.add_parser("validate", help="check a fixtures directory and exit")
    validate.add_argument("fixtures", type=Path, nargs="?", default=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "serve"
    if command == "validate":
        return _validate(args.fixtures)
    overrides = {
        k: getattr(args, k, None)
        for k in ("host", "port", "fixtures", "data_dir", "strict", "log_level", "reload")
    }
    return serve(Settings.from_env(**overrides))


def serve(settings: Settings) -> int:
    import uvicorn

    from .sandbox import Sandbox
    from .web.app import create_app

    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        sandbox = Sandbox(settings)
    except FixtureError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.getLogger("messages_sandbox").info("%s", sandbox.describe())
    app = create_app(settings, sandbox=sandbox)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
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
