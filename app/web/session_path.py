"""The ``/session/S`` URL prefix: a base URL that puts every request in session S.

``ANTHROPIC_BASE_URL=http://127.0.0.1:8080/session/S`` isolates an app that only reads its
environment. The edge (``front.Front``) calls ``enter_session`` once for a path under the
prefix: the prefix leaves the path, and the session goes into the ``x-sandbox-session``
header, so every route (messages, count_tokens, models, batches, files, the admin surface)
then behaves exactly as at the root, in session S. A request without the prefix pays one
``str.startswith``, and only when its path is not ``/v1/messages``.

Deliberate choice: a prefix and an ``x-sandbox-session`` header naming another session: the
prefix wins (it is what the base URL says).
"""

from __future__ import annotations

import re

from starlette.types import Scope

from ..errors import InvalidRequestError
from ..headers import SESSION_HEADER

SESSION_PREFIX = "/session/"
PREFIX_KEY = "sandbox.prefix"
"""Where ``enter_session`` leaves ``/session/S`` on the scope (absolute URLs keep it)."""
ADMIN = "/_sandbox"
_SESSION_BYTES = SESSION_HEADER.encode()
_NAME = re.compile(r"[A-Za-z0-9._~:@+=-]{1,128}")
NAME_RULE = "1 to 128 letters, digits or ._~:@+=-"


def enter_session(scope: Scope) -> str:
    """Move ``/session/S`` from the scope's path into its headers; the path that is left.
    Raises ``InvalidRequestError`` for a name that is not a session name."""
    path: str = scope["path"]
    name, _, rest = path[len(SESSION_PREFIX) :].partition("/")
    if not valid_name(name):
        raise InvalidRequestError(
            f"{path[: len(SESSION_PREFIX) + 40]!r}: a session name is {NAME_RULE}"
        )
    rest = "/" + rest
    scope["path"] = rest
    raw = scope.get("raw_path")
    if raw:
        parts = raw.split(b"/", 3)
        scope["raw_path"] = b"/" + (parts[3] if len(parts) > 3 else b"")
    # Appended, not substituted: every reader keeps the last of a repeated header (a dict of
    # the list), so the prefix wins over an ``x-sandbox-session`` the client also sent.
    scope["headers"] = [*scope["headers"], (_SESSION_BYTES, name.encode())]
    scope[PREFIX_KEY] = SESSION_PREFIX + name
    return rest


def valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def is_admin(path: str) -> bool:
    """A path of the sandbox's own surface (after any session prefix left it)."""
    return path.startswith(ADMIN) and (len(path) == len(ADMIN) or path[len(ADMIN)] == "/")


def targets_admin(path: str) -> bool:
    """``is_admin`` for a path as it arrived (a session prefix may still be on it)."""
    if path.startswith(SESSION_PREFIX):
        path = "/" + path[len(SESSION_PREFIX) :].partition("/")[2]
    return is_admin(path)
