"""Docs that cannot rot: the README's settings table and CLI help match the code."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


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
        [sys.executable, "-m", "app", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "serve" in result.stdout
    assert "validate" in result.stdout
