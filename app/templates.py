"""Templates in fixture replies: Jinja2, sandboxed, strict about undefined names.

A string becomes a template only when it contains ``{{`` or ``{%``, so ordinary text (and
its speed) is untouched. Templates are compiled at load, so a syntax error is a load error
with file and line; rendering sees a read-only context describing the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = ["TemplateError", "Text", "compile_value", "new_environment", "render_value"]

_MARKERS = ("{{", "{%")


def new_environment() -> ImmutableSandboxedEnvironment:
    """One per loaded fixture set (no module-level state)."""
    return ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )


@dataclass(frozen=True)
class Text:
    """A string from a fixture that is rendered per request."""

    source: str
    template: Template

    def render(self, context: Mapping[str, Any]) -> str:
        return self.template.render(context)


def compile_value(env: ImmutableSandboxedEnvironment, value: Any) -> Any:
    """``value`` with every templated string replaced by a ``Text`` (raises TemplateError)."""
    if isinstance(value, str):
        if any(m in value for m in _MARKERS):
            return Text(value, env.from_string(value))
        return value
    if isinstance(value, dict):
        return {k: compile_value(env, v) for k, v in value.items()}
    if isinstance(value, list):
        return [compile_value(env, v) for v in value]
    return value


def has_templates(value: Any) -> bool:
    if isinstance(value, Text):
        return True
    if isinstance(value, dict):
        return any(has_templates(v) for v in value.values())
    if isinstance(value, list):
        return any(has_templates(v) for v in value)
    return False


def render_value(value: Any, context: Mapping[str, Any]) -> Any:
    """A plain copy of ``value`` with every ``Text`` rendered (raises TemplateError)."""
    if isinstance(value, Text):
        return value.render(context)
    if isinstance(value, dict):
        return {k: render_value(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [render_value(v, context) for v in value]
    return value
