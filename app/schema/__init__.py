"""Request schema: models generated from the official SDK's types, plus compiled validators."""

try:
    from .validators import RequestValidators, ValidationFailed
except ImportError:  # TEMPORARY until the generated schema lands (lead removes this)
    import orjson

    class ValidationFailed(Exception):  # type: ignore[no-redef]
        pass

    class RequestValidators:  # type: ignore[no-redef]
        def messages(self, body: bytes, *, beta: bool) -> dict:
            try:
                data = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                raise ValidationFailed(f"invalid JSON: {exc}") from None
            for key in ("model", "max_tokens", "messages"):
                if key not in data:
                    raise ValidationFailed(f"{key}: Field required")
            return data

        count_tokens = messages

        def messages_params(self, obj: dict, *, beta: bool) -> dict:
            return obj


__all__ = ["RequestValidators", "ValidationFailed"]
