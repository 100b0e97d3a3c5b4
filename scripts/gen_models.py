"""The models the installed SDK lists, and the catalogue entries they need.

    python scripts/gen_models.py --list     # the SDK's model ids as JSON (sdk-check reads it)
    python scripts/gen_models.py --check    # exit 1 when app/catalogue/models.yaml lacks one
    python scripts/gen_models.py            # add the missing ones to app/catalogue/models.yaml

An added entry gets what the SDK says (its id, a dated id's undated alias, its line) and the
catalogue's defaults for the rest; what no public source gives (the display name, a release
date the id does not carry, limits and switches) is marked ``# placeholder`` for a maintainer
to confirm. Entries already in the catalogue are never touched: the file is edited as text, so
its comments stay.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import typing
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "app" / "catalogue" / "models.yaml"
_DATED = re.compile(r"^(?P<base>.+)-(?P<date>20\d{6})$")
_MARKER = "models:\n"


def sdk_models() -> tuple[str, list[str], list[str]]:
    """(SDK version, model ids in the SDK's order, model lines) of the installed SDK."""
    import anthropic
    from anthropic.types.model_param import ModelParam

    ids: list[str] = []
    for arg in typing.get_args(ModelParam):
        ids += [a for a in typing.get_args(arg) if isinstance(a, str) and a not in ids]
    try:
        from anthropic.types.model_line import ModelLine

        lines = [str(v) for v in typing.get_args(ModelLine)]
    except ImportError:  # older SDKs have no ModelLine
        lines = []
    return anthropic.__version__, ids, lines


def catalogue_names(text: str) -> set[str]:
    import yaml  # here: `--list` runs where only the SDK is installed (sdk-check's venv)

    data = yaml.safe_load(text) or {}
    names: set[str] = set()
    for model in data.get("models") or []:
        names.add(model["id"])
        names.update(model.get("aliases") or [])
    return names


def missing(text: str, ids: Iterable[str]) -> list[str]:
    known = catalogue_names(text)
    return [i for i in ids if i not in known]


def add_models(
    text: str, ids: list[str], *, sdk: str, lines: Iterable[str] = (), today: dt.date
) -> str:
    """``text`` (a models.yaml) with an entry for each of ``ids`` it lacks, at the top of
    ``models:`` (the file lists the newest first), in the SDK's order."""
    todo = missing(text, ids)
    if not todo:
        return text
    entries: list[str] = []
    for model_id, alias in _pairs(todo):
        entries.append(_entry(model_id, alias, sdk=sdk, lines=tuple(lines), today=today))
    head, sep, tail = text.partition(_MARKER)
    if not sep:
        raise SystemExit(f"{CATALOGUE}: no top-level `models:` list to add to")
    return head + sep + "".join(entries) + tail


def _pairs(ids: list[str]) -> list[tuple[str, str | None]]:
    """(id, alias): a dated id takes its undated twin as alias, as the catalogue keeps them."""
    dated = {m.group("base"): i for i in ids if (m := _DATED.match(i))}
    out: list[tuple[str, str | None]] = []
    for model_id in ids:
        if model_id in dated:  # the undated alias of a dated id: listed with it
            continue
        match = _DATED.match(model_id)
        base = match.group("base") if match else None
        out.append((model_id, base if base in ids else None))
    return out


def _entry(
    model_id: str, alias: str | None, *, sdk: str, lines: tuple[str, ...], today: dt.date
) -> str:
    match = _DATED.match(model_id)
    base = match.group("base") if match else model_id
    line = next((w for w in base.split("-") if w in lines), None)
    out = [
        f"  # Added by scripts/gen_models.py from anthropic {sdk}. Placeholders are values no\n",
        "  # public source gave; the rest are the catalogue's defaults: confirm them.\n",
        f"  - id: {model_id}\n",
    ]
    if alias:
        out.append(f"    aliases: [{alias}]\n")
    out.append(f"    display_name: {_display_name(base)}  # placeholder: derived from the id\n")
    if match:
        d = match.group("date")
        out.append(f'    created_at: "{d[:4]}-{d[4:6]}-{d[6:]}T00:00:00Z"\n')
    else:
        stamp = f'"{today.isoformat()}T00:00:00Z"'
        out.append(f"    created_at: {stamp}  # placeholder: the day it was added here\n")
    if line:
        out.append(f"    line: {line}\n")
    return "".join(out)


def _display_name(base: str) -> str:
    """``claude-opus-5-5`` -> ``Claude Opus 5.5``: words capitalised, version digits dotted."""
    words = base.split("-")
    names = [w.capitalize() for w in words if not w.isdigit()]
    version = ".".join(w for w in words if w.isdigit())
    return " ".join(names + ([version] if version else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--list", action="store_true", help="print the SDK's model ids as JSON")
    mode.add_argument("--check", action="store_true", help="exit 1 if the catalogue lacks one")
    parser.add_argument("--catalogue", type=Path, default=CATALOGUE)
    args = parser.parse_args(argv)
    version, ids, lines = sdk_models()
    if args.list:
        print(json.dumps({"sdk": version, "models": ids}))
        return 0
    text = args.catalogue.read_text(encoding="utf-8")
    if args.check:
        lacking = missing(text, ids)
        if lacking:
            print(f"{args.catalogue} lacks models anthropic {version} lists: {lacking}")
            print("run `python scripts/gen_models.py` (or `make schema`)", file=sys.stderr)
            return 1
        return 0
    updated = add_models(text, ids, sdk=version, lines=lines, today=dt.date.today())
    if updated != text:
        args.catalogue.write_text(updated, encoding="utf-8")
        print(f"added {missing(text, ids)} to {args.catalogue}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
