"""Regenerate everything generated from the SDK; with ``SDK=X.Y.Z``, upgrade to it first.

``make schema`` runs ``regenerate``: the request schema (app/schema/generated.py), the beta
list (app/schema/betas.py), catalogue entries for models the SDK lists and the catalogue lacks
(app/catalogue/models.yaml, placeholders marked), the fixture JSON Schema and the README
settings table.

``make schema SDK=X.Y.Z`` runs ``bump X.Y.Z`` (the pin in pyproject.toml; what the committed
files accept is saved first), installs, runs ``regenerate --since FILE`` (which also writes
what the new SDK added into CHANGELOG.md), then the test suite.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from schema_gen.drift import changelog, compare, report
from schema_gen.sources import (
    REPO,
    SCRIPTS,
    committed_surface,
    pinned_version,
    sdk_models,
    set_pin,
)
from schema_gen.surface import Surface

CHANGELOG = REPO / "CHANGELOG.md"
GENERATORS = (
    ["gen_schema.py"],
    ["gen_betas.py"],
    ["gen_models.py"],
    ["gen_fixture_schema.py"],
    ["gen_settings_table.py"],
)


def bump(version: str, save: Path) -> int:
    """Save what the committed files accept, then pin ``version``."""
    _, models = sdk_models(sys.executable)
    save.write_text(committed_surface(models).to_json(), encoding="utf-8")
    old = pinned_version()
    set_pin(version)
    print(f"pyproject.toml: anthropic=={old} -> anthropic=={version}")
    return 0


def regenerate(since: Path | None) -> int:
    for args in GENERATORS:
        done = subprocess.run([sys.executable, str(SCRIPTS / args[0]), *args[1:]], cwd=REPO)
        if done.returncode != 0:
            print(f"{args[0]} failed: fix the generator, then run `make schema` again")
            return done.returncode
    if since is None:
        return 0
    version, models = sdk_models(sys.executable)
    before = Surface.from_json(since.read_text(encoding="utf-8"))
    drift = compare(before, committed_surface(models))
    print(report(drift), end="")
    bullet = changelog(drift, version)
    if bullet:
        CHANGELOG.write_text(add_to_changelog(CHANGELOG.read_text("utf-8"), bullet), "utf-8")
        print(f"CHANGELOG.md: added the anthropic {version} line under [Unreleased]")
    return 0


def add_to_changelog(text: str, bullet: str) -> str:
    """``bullet`` first under ``## [Unreleased]`` / ``### Added`` (each made when missing)."""
    marker = "## [Unreleased]\n"
    if marker not in text:
        at = text.find("\n## ")
        at = len(text) if at < 0 else at + 1
        text = text[:at] + marker + "\n" + text[at:]
    head, _, rest = text.partition(marker)
    section, nxt, after = rest.partition("\n## ")
    if "### Added\n" in section:
        before, added, items = section.partition("### Added\n")
        section = before + added + bullet + items
    else:
        section = f"\n### Added\n{bullet}" + section
    return head + marker + section + nxt + after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bump", help="pin another SDK (saving what the committed files accept)")
    b.add_argument("version")
    b.add_argument("--save", type=Path, required=True)
    r = sub.add_parser("regenerate", help="run every generator against the installed SDK")
    r.add_argument("--since", type=Path, help="a surface saved by `bump`: write the CHANGELOG")
    args = parser.parse_args(argv)
    if args.command == "bump":
        return bump(args.version, args.save)
    return regenerate(args.since)


if __name__ == "__main__":
    raise SystemExit(main())
