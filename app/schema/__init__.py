"""Request schema: models generated from the official SDK's types, plus compiled validators."""

from .unknown import UNKNOWN_FIELDS_HEADER, Stripped
from .validators import MalformedJson, RequestValidators, ValidationFailed

__all__ = [
    "UNKNOWN_FIELDS_HEADER",
    "MalformedJson",
    "RequestValidators",
    "Stripped",
    "ValidationFailed",
]
