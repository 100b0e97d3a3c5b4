"""Request schema: models generated from the official SDK's types, plus compiled validators."""

from .validators import MalformedJson, RequestValidators, ValidationFailed

__all__ = ["MalformedJson", "RequestValidators", "ValidationFailed"]
