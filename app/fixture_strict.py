"""``Strict``: the base of every fixture model, so a typo (``regx:``) is a load error.

Unknown keys are refused with a message listing the allowed ones, never ignored (a silent
no-match is the worst outcome for a mock's user); a model may also accept a bare scalar as
shorthand for one of its keys.
"""

from __future__ import annotations

import difflib
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema


class Strict(BaseModel):
    """Base: unknown keys are refused with the list of allowed ones. A subclass that sets
    ``shorthand_key`` may also be written as a bare scalar meaning ``{shorthand_key: value}``."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, frozen=True, use_attribute_docstrings=True
    )
    shorthand_key: ClassVar[str | None] = None
    shorthand_schema: ClassVar[dict[str, Any]] = {}
    allowed_keys: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.allowed_keys = frozenset(f.alias or name for name, f in cls.model_fields.items())

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if cls.shorthand_key is not None and not isinstance(data, dict):
            return {cls.shorthand_key: data}
        if isinstance(data, dict) and not cls.allowed_keys.issuperset(data):
            allowed = cls.allowed_keys
            for key in data:
                if key not in allowed:
                    close = difflib.get_close_matches(str(key), allowed, n=1)
                    hint = f" (did you mean `{close[0]}`?)" if close else ""
                    raise PydanticCustomError(
                        "unknown_key",
                        "unknown key `{key}`{hint}; allowed: {allowed}",
                        {"key": str(key), "hint": hint, "allowed": ", ".join(sorted(allowed))},
                    )
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        full = handler(schema)
        if cls.shorthand_key is None:
            return full
        return {"anyOf": [cls.shorthand_schema, full]}
