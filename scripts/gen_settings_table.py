"""Write the README's configuration table from the ``Settings`` field docs.

``python scripts/gen_settings_table.py`` rewrites the block between the
``settings-table`` markers; ``--check`` exits 1 when the README is stale (tests run it).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from messages_sandbox.settings import documented_settings  # noqa: E402

README = ROOT / "README.md"
START = "<!-- settings-table:start -->"
END = "<!-- settings-table:end -->"


def table() -> str:
    rows = ["| Variable | Default | What it does |", "| --- | --- | --- |"]
    for name, default, doc in documented_settings():
        rows.append(f"| `{name}` | `{default}` | {doc} |")
    return "\n".join(rows)


def render(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main() -> int:
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in sys.argv:
        if current != wanted:
            print("README configuration table is stale: run python scripts/gen_settings_table.py")
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
