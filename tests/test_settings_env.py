"""``Settings`` reads ``SANDBOX_*`` variables (through pydantic-settings) as the README says:
any case, lists as text rather than JSON, explicit values win, bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from messages_sandbox.settings import Settings


def test_a_variable_is_read_whatever_the_case_of_its_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("sandbox_port", "9001")
    monkeypatch.setenv("SANDBOX_Strict", "yes")
    settings = Settings()
    assert (settings.port, settings.strict) == (9001, True)


def test_list_values_are_comma_or_line_separated_text_not_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SANDBOX_API_KEYS", " a, b ,")
    monkeypatch.setenv("SANDBOX_REDACT", "sk-[a-z]{1,3}\nsecret")
    settings = Settings()
    assert settings.api_keys == ("a", "b")
    assert settings.redact == ("sk-[a-z]{1,3}", "secret")


def test_explicit_values_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_FIXTURES", "/from/env")
    monkeypatch.setenv("SANDBOX_JOURNAL_SIZE", "5")
    settings = Settings(fixtures=Path("/given"))
    assert (settings.fixtures, settings.journal_size) == (Path("/given"), 5)


def test_an_empty_admin_token_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_ADMIN_TOKEN", "")
    assert Settings().admin_token is None


def test_variables_without_a_setting_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_NO_SUCH_SETTING", "1")
    assert Settings().port == 8080


def test_a_bad_value_stops_with_the_variable_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_PORT", "eighty")
    monkeypatch.setenv("SANDBOX_THREAD_UNSUPPORTED", "nope")
    with pytest.raises(SystemExit) as stopped:
        Settings.from_env()
    message = str(stopped.value)
    assert message.startswith("invalid setting: SANDBOX_PORT: Input should be a valid integer")
    assert "SANDBOX_THREAD_UNSUPPORTED: Value error, unknown feature 'nope'" in message
