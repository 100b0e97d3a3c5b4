# GENERATED FILE - DO NOT EDIT. Source: anthropic==2.17.0 (the installed SDK's request types).
# Regenerate with `make schema` (python scripts/gen_schema.py).
"""The tags the request schema's unions are told apart by (``generated`` and ``core.json``)."""

HIDDEN_TAG_PREFIX = "~"
# pydantic's `discriminator` error context of each tag function -> its key
DISCRIMINATOR_KEYS = {"_tag_role()": "role", "_tag_type()": "type", "_tag_type_or_custom()": "type"}


def _kind(value: object) -> str | None:
    """Tag of a `str | list | ...` union member: the JSON kind of the value (hidden from paths)."""
    if isinstance(value, str):
        return "~str"
    if isinstance(value, list):
        return "~list"
    if isinstance(value, dict):
        return "~dict"
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "~bool"
    if isinstance(value, int):
        return "~int"
    if isinstance(value, float):
        return "~float"
    return None


def _tag_role(value: object) -> object:
    """The tag of a union discriminated by 'role'."""
    if not isinstance(value, dict):
        return None
    if "role" not in value:
        return None
    tag = value["role"]
    return "~" + tag if isinstance(tag, str) else "~"


def _tag_type(value: object) -> object:
    """The tag of a union discriminated by 'type'."""
    if not isinstance(value, dict):
        return None
    tag = value.get("type")
    if tag is None:
        return None
    return tag if isinstance(tag, str | int | float) else None


def _tag_type_or_custom(value: object) -> object:
    """The tag of a union discriminated by 'type'."""
    if not isinstance(value, dict):
        return None
    tag = value.get("type")
    if tag is None:
        return "custom"
    return tag if isinstance(tag, str | int | float) else None
