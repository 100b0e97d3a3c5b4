"""Attribute docstrings: the string literal right under an annotated class attribute.

They describe the settings (the README table) and the fixture format (``fixtures/schema.json``),
and are read from the source only when one of those is generated. pydantic's
``use_attribute_docstrings`` would read them as each model class is made, on every start:
finding and parsing the source of some 30 classes was a tenth of the instructions from
``python -m messages_sandbox serve`` to its first answer.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any


def attribute_docstrings(cls: type) -> dict[str, str]:
    """``{attribute: docstring}`` of ``cls`` and its bases (a subclass's own wins), cleaned
    as pydantic cleans them (``inspect.cleandoc``)."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.split(".")[0] in ("builtins", "pydantic", "pydantic_settings"):
            continue
        docs.update(_own(klass))
    return docs


def _own(cls: type) -> dict[str, str]:
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):  # no source (a class made at run time)
        return {}
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.ClassDef)
    docs: dict[str, str] = {}
    for statement, after in zip(node.body, node.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(after.value.value)
    return docs


def describe_properties(schema: dict[str, Any], cls: type) -> None:
    """A pydantic ``json_schema_extra`` hook: each property of a model's JSON Schema gets its
    attribute's docstring as ``description`` (unless its ``Field`` already gave one)."""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    fields: dict[str, Any] = getattr(cls, "model_fields", {})
    for name, doc in attribute_docstrings(cls).items():
        field = fields.get(name)
        if field is None:
            continue
        prop = properties.get(field.alias or name)
        if isinstance(prop, dict):
            prop.setdefault("description", doc)
