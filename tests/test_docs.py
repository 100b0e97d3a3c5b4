"""Docs that cannot rot: the README's settings table and CLI help match the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from messages_sandbox.fixtures.loader import load_fixture_set


def test_readme_configuration_table_lists_every_setting() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_settings_table.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_help_names_serve_and_validate() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "messages_sandbox", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "serve" in result.stdout
    assert "validate" in result.stdout


def _yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.S)


def test_readme_first_fixture_loads_and_answers_as_shown(make_sandbox, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in _yaml_blocks(readme) if "rules:" in b]
    (tmp_path / "first.yaml").write_text(block, encoding="utf-8")
    load_fixture_set(tmp_path)  # the same loader as the server: raises with file:line

    server = make_sandbox(tmp_path)
    with server.client() as client:
        answer = client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=100,
            messages=[{"role": "user", "content": "well hello there"}],
        )
    assert answer.content[0].text == "Hello from the sandbox!"
