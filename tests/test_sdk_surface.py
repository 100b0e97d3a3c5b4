"""The TypeScript SDK as a second source: everything its request types can send is accepted by
the schema generated from the Python SDK, and every difference between the two is known.

``tests/sdk_surface/surface.mjs`` reads the TS SDK's .d.ts with the TypeScript compiler API;
``scripts/schema_gen/surface.py`` reads app/schema/generated.py. Both write the same notation.
"""

from __future__ import annotations

import fnmatch
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "tests" / "sdk_surface"
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from schema_gen.coverage import uncovered  # noqa: E402
from schema_gen.sources import GENERATED  # noqa: E402
from schema_gen.surface import load_module, surface_of  # noqa: E402

# What the TS SDK can send that the generated schema does not list, and why it is still fine.
KNOWN_TS_ONLY = {
    "*:output_format*": (
        "beta's deprecated top-level output_format: the Python SDK dropped it from its types, "
        "the sandbox still accepts it (app/schema/legacy.py moves it to output_config.format)"
    ),
}
# What the generated schema accepts that the TS SDK's types cannot send, and why.
KNOWN_PYTHON_ONLY = {
    "field:temperature": "legacy sampling, dropped by both SDKs' types; the API still honours it "
    "on older models (ADDED_FIELDS in scripts/gen_schema.py)",
    "field:top_p": "legacy sampling (as temperature)",
    "field:top_k": "legacy sampling (as temperature)",
    "field:user_profile_id": "the TS SDK sends it as a header ('Header param'); the Python SDK "
    "keeps it as a body key, which batch request params carry",
    "field:*citations.*.file_id": "response-only key of a citation: clients echo response "
    "content back verbatim, so the generator merges the response models in",
}


@pytest.fixture(scope="module")
def surfaces() -> tuple[dict[str, list[str]], dict[str, list[str]], str]:
    sdk = TS_DIR / "node_modules" / "@anthropic-ai" / "sdk"
    if not shutil.which("node") or not (TS_DIR / "node_modules" / "typescript").is_dir():
        pytest.skip(
            "node or tests/sdk_surface/node_modules missing (npm ci --prefix tests/sdk_surface)"
        )
    assert sdk.is_dir()
    done = subprocess.run(
        ["node", "surface.mjs"], cwd=TS_DIR, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    ts: dict[str, list[str]] = {}
    for root, entries in data["roots"].items():
        for entry in entries:
            ts.setdefault(entry, []).append(root)
    python = surface_of(load_module(GENERATED, "_ts_compare"), source="generated").entries
    return ts, python, data["sdk"]


def unexplained(diff: dict[str, list[str]], known: dict[str, str]) -> dict[str, list[str]]:
    return {e: r for e, r in diff.items() if not any(fnmatch.fnmatch(e, p) for p in known)}


def listing(diff: dict[str, list[str]]) -> str:
    return "\n".join(f"  {entry}  [{', '.join(roots)}]" for entry, roots in sorted(diff.items()))


def test_everything_the_typescript_sdk_can_send_is_accepted(surfaces) -> None:
    ts, python, version = surfaces
    missing = unexplained(uncovered(ts, python), KNOWN_TS_ONLY)
    assert not missing, (
        f"@anthropic-ai/sdk {version} can send what the generated schema refuses; accept it "
        f"(override table of scripts/gen_schema.py) or list it in KNOWN_TS_ONLY with a reason:\n"
        + listing(missing)
    )


def test_what_only_the_python_schema_accepts_is_known(surfaces) -> None:
    ts, python, version = surfaces
    extra = unexplained(uncovered(python, ts), KNOWN_PYTHON_ONLY)
    assert not extra, (
        f"the generated schema accepts what @anthropic-ai/sdk {version} cannot send; list it in "
        "KNOWN_PYTHON_ONLY with a reason (or find out why the TS SDK lacks it):\n" + listing(extra)
    )


@pytest.mark.parametrize("side", ["ts", "python"])
def test_every_known_difference_still_exists(surfaces, side: str) -> None:
    ts, python, _ = surfaces
    diff = uncovered(ts, python) if side == "ts" else uncovered(python, ts)
    known = KNOWN_TS_ONLY if side == "ts" else KNOWN_PYTHON_ONLY
    stale = [p for p in known if not any(fnmatch.fnmatch(e, p) for e in diff)]
    assert not stale, f"no longer a difference, drop it from the known list: {stale}"
