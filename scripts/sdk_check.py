"""Is the committed request schema behind the newest official SDK? (``make sdk-check``)

Installs the newest ``anthropic`` release (or ``--sdk X.Y.Z``) in a throwaway venv kept under
``~/.cache/messages-sandbox/`` (``$XDG_CACHE_HOME`` honoured), generates the request schema,
the beta list and the model list from it into a temporary directory, and prints what that SDK
can send that the committed schema refuses (request fields with their paths, block and tool
types, accepted values, betas, models), then what it no longer has.

Exit status: 0 current, 1 behind (or the generator cannot read the new SDK), 2 the check could
not run (an install failed). Without a reachable package index it prints one warning line and
exits 0. ``--warn-only`` (CI) always exits 0 and starts its verdict with ``WARNING:``.
``--quick`` (``make test``) only asks the index for the newest version: a second or two.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from schema_gen.drift import compare, report
from schema_gen.sources import (
    GeneratorFailed,
    catalogue_models,
    committed_surface,
    generated_surface,
    pinned_version,
    sdk_models,
)

PACKAGE = "anthropic"
TS_PACKAGE = "@anthropic-ai/sdk"
TS_PIN = Path(__file__).resolve().parents[1] / "tests" / "sdk_surface" / "package.json"
_NEWEST = re.compile(rf"^{PACKAGE} \((?P<version>[^)]+)\)", re.MULTILINE)


class Unreachable(Exception):
    """The package index did not answer."""


class InstallFailed(Exception):
    """pip reached the index but could not install the SDK."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "messages-sandbox"


def newest_version(timeout: float) -> str:
    """The newest release on the index pip is configured with (pre-releases excluded)."""
    cmd = [sys.executable, "-m", "pip", "index", "versions", PACKAGE]
    cmd += ["--disable-pip-version-check", "--timeout", str(timeout), "--retries", "0"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout * 3 + 10)
    except subprocess.TimeoutExpired:
        raise Unreachable(f"no answer within {timeout * 3 + 10:.0f} s") from None
    match = _NEWEST.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise Unreachable(_last_line(done.stderr or done.stdout))
    return match.group("version")


def throwaway_python(version: str, timeout: float) -> str:
    """A cached venv's interpreter with ``anthropic==version`` (and the ruff the generator
    formats with) installed; created on first use, upgraded in place later."""
    venv = cache_dir() / "sdk-check-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        done = subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise InstallFailed(f"python -m venv {venv}: {_last_line(done.stderr)}")
    wanted = [f"{PACKAGE}=={version}", f"ruff=={metadata.version('ruff')}"]
    cmd = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    cmd += ["--timeout", str(timeout), "--retries", "1", *wanted]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise InstallFailed(f"pip install {' '.join(wanted)}: no end within 600 s") from None
    if done.returncode != 0:
        # pip's warnings about the machine's extra indexes come first; the error is last
        raise InstallFailed(f"pip install {' '.join(wanted)}: {_last_line(done.stderr)}")
    return str(python)


def typescript_line(timeout: float) -> str | None:
    """One line on the TypeScript SDK that tests/test_sdk_surface.py compares against: is its
    pin the newest release? None when npm is missing or the registry does not answer."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    pinned = json.loads(TS_PIN.read_text(encoding="utf-8"))["dependencies"][TS_PACKAGE]
    cmd = [npm, "view", TS_PACKAGE, "version", "--fetch-retries=0"]
    cmd.append(f"--fetch-timeout={int(timeout * 1000)}")
    try:
        done = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout * 2 + 10,
        )
    except subprocess.TimeoutExpired:
        return None
    newest = done.stdout.strip()
    if done.returncode != 0 or not newest:
        return None
    if newest == pinned:
        return f"sdk-check: {TS_PACKAGE} {pinned} (tests/sdk_surface) is the newest release."
    return (
        f"sdk-check: WARNING: {TS_PACKAGE} {newest} is out; tests/sdk_surface pins {pinned}: "
        f"`npm install --prefix tests/sdk_surface {TS_PACKAGE}@{newest}`, then "
        "`pytest tests/test_sdk_surface.py`."
    )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or ["(no output)"])[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk", help="check this release instead of the newest")
    parser.add_argument("--warn-only", action="store_true", help="always exit 0 (CI)")
    parser.add_argument("--quick", action="store_true", help="compare versions only (make test)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per index request")
    parser.add_argument("--save", type=Path, help="also write the checked SDK's surface (JSON)")
    args = parser.parse_args(argv)
    warn = "WARNING: " if args.warn_only or args.quick else ""
    pinned = pinned_version()
    try:
        target = args.sdk or newest_version(args.timeout)
    except Unreachable as exc:
        print(f"sdk-check: WARNING: the package index is not reachable ({exc}); not checked.")
        return 0
    ts_line = typescript_line(args.timeout)
    if ts_line:
        print(ts_line, flush=True)
    if args.quick:
        if target == pinned:
            print(f"sdk-check: anthropic {pinned}, the pin, is the newest release.")
        else:
            print(
                f"sdk-check: {warn}anthropic {target} is out; the schema is generated from "
                f"{pinned}: run `make sdk-check` to see what it adds."
            )
        return 0
    print(f"sdk-check: pinned anthropic {pinned}; checking anthropic {target}", flush=True)
    status = _check(target, args.timeout, args.save)
    if args.warn_only:
        if status == 1:
            print(f"sdk-check: WARNING: the committed schema is behind anthropic {target} (above).")
        return 0
    return status


def _check(target: str, timeout: float, save: Path | None) -> int:
    cache_dir().mkdir(parents=True, exist_ok=True)
    # One check at a time per cache: CI and a developer may share a machine.
    with (cache_dir() / "sdk-check.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            python = throwaway_python(target, timeout)
        except InstallFailed as exc:
            print(f"sdk-check: WARNING: could not install the SDK: {exc}")
            return 2
        with tempfile.TemporaryDirectory(prefix="sdk-check-") as tmp:
            try:
                new = generated_surface(python, Path(tmp))
            except GeneratorFailed as exc:
                print(
                    f"The generator cannot read anthropic {target}: {exc}\n"
                    "Upgrading needs a change in scripts/schema_gen or the override table of "
                    "scripts/gen_schema.py first."
                )
                return 1
    if save is not None:
        save.write_text(new.to_json(), encoding="utf-8")
    _, pinned_models = sdk_models(sys.executable)
    drift = compare(committed_surface(pinned_models), new, catalogue_models())
    print(report(drift), end="")
    if drift.behind:
        print(f"Upgrade: make schema SDK={target}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
