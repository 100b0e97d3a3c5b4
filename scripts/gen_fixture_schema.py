"""Generate fixtures/schema.json: the JSON Schema of a fixture file, from app/fixture_models.

Run ``python scripts/gen_fixture_schema.py`` after changing the format; a test fails when
the committed file is stale. Editors use it through the ``yaml-language-server`` comment at
the top of each fixture file (completion and checks while typing).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "schema.json"


def render() -> str:
    sys.path.insert(0, str(ROOT))
    from messages_sandbox.fixtures.format import FixtureFile

    schema = FixtureFile.model_json_schema(by_alias=True)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/messages-sandbox/fixtures/schema.json",
        "title": "messages-sandbox fixture file",
        **schema,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
