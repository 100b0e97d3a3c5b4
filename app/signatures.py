"""Thinking-block signatures the sandbox can verify when a block comes back.

A signature is an HMAC over the thinking text as it was returned (empty when the display
is omitted), so a client that echoes the block unchanged passes and one that edits the
text or the signature gets the real 400.

A signature the sandbox did not mint is checked against the fixtures instead: a rule
recorded from the real API (or another sandbox) holds each thinking block with its
signature, and a client sending that block back unchanged passes, in strict mode too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Mapping

_VERSION = b"\x01"


_LENGTH = 128  # decoded bytes of a signature minted here


class Signer:
    def __init__(
        self,
        key: str,
        *,
        accept_foreign: bool = True,
        trusted: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        self._key = key.encode()
        # Signatures the sandbox did not mint (a conversation recorded from the real API, a
        # fixture's literal signature) cannot be checked here; outside strict mode they pass,
        # as they would on the real API. Ours are always checked, so tampering is caught.
        self._accept_foreign = accept_foreign
        # Any mode accepts a signature that a loaded fixture holds, with the very thinking
        # text it was recorded with: the block a replayed answer handed out and the client
        # sends back, although this key did not sign it (``trusted()``: signature -> text,
        # read per check so a hot reload counts at once).
        self._trusted = trusted

    def _mac(self, text: str) -> bytes:
        return hmac.new(self._key, text.encode(), hashlib.sha256).digest()

    def sign(self, text: str) -> str:
        # Padded to the length of a real signature so clients that store them see the shape.
        mac = self._mac(text)
        filler = hashlib.sha512(mac).digest()
        return base64.b64encode(_VERSION + mac + filler + filler[:31]).decode()

    def verify(self, text: str, signature: str) -> bool:
        # First: a recorded signature may come from another sandbox, shaped like ours.
        if self._trusted is not None and self._trusted().get(signature) == text:
            return True
        try:
            raw = base64.b64decode(signature, validate=True)
        except ValueError:
            return self._accept_foreign and bool(signature)
        if len(raw) != _LENGTH or raw[:1] != _VERSION:
            return self._accept_foreign and bool(signature)
        return hmac.compare_digest(raw[1:33], self._mac(text))
