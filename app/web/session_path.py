"""The ``/session/S`` URL prefix: a base URL that puts every request in session S.

``ANTHROPIC_BASE_URL=http://127.0.0.1:8080/session/S`` isolates an app that only reads its
environment. The edge (``front.Front``) calls ``enter_session`` once for a path under the
prefix: the prefix leaves the path, and the session goes into the ``x-sandbox-session``
header, so every route (messages, count_tokens, models, batches, files, the admin surface)
then behaves exactly as at the root, in session S. A request without the prefix pays one
``str.startswith``, and only when its path is not ``/v1/messages``.

A session name follows one rule wherever it is given (prefix, header, ``?session=``): 1 to
``MAX_SESSION_NAME`` characters, no control characters. In the prefix it is one path
segment, percent-encoded where a URL needs it (``/session/tests%2Ftest_a.py/v1/messages``
is session ``tests/test_a.py``).

Deliberate choice: a prefix and an ``x-sandbox-session`` header naming another session: the
prefix wins (it is what the base URL says).
"""

from __future__ import annotations

from urllib.parse import unquote, unquote_to_bytes

from starlette.types import Scope

from ..errors import InvalidRequestError
from ..headers import MAX_SESSION_NAME, SCOPE_HEADERS_KEY, SESSION_HEADER, valid_session_name

SESSION_PREFIX = "/session/"
PREFIX_KEY = "sandbox.prefix"
"""Where ``enter_session`` leaves ``/session/S`` on the scope (absolute URLs keep it)."""
ADMIN = "/_sandbox"
_SESSION_BYTES = SESSION_HEADER.encode()
NAME_RULE = f"1 to {MAX_SESSION_NAME} characters, no control characters (percent-encoded)"
_PREFIX_BYTES = SESSION_PREFIX.encode()


def enter_session(scope: Scope) -> str:
    """Move ``/session/S`` from the scope's path into its headers; the path that is left.
    Raises ``InvalidRequestError`` for a name that is not a session name."""
    path: str = scope["path"]
    # The name is read from the raw path, so an encoded "/" stays inside it.
    raw: bytes = scope.get("raw_path") or path.encode()
    segment, _, rest_raw = raw[len(_PREFIX_BYTES) :].partition(b"/")
    name = unquote_to_bytes(segment)
    if not valid_session_name(name.decode("latin-1")):
        raise InvalidRequestError(
            f"{path[: len(SESSION_PREFIX) + 40]!r}: a session name is {NAME_RULE}"
        )
    rest = "/" + unquote(rest_raw.decode("ascii", "replace"))
    scope["path"] = rest
    scope["raw_path"] = b"/" + rest_raw
    # Appended, not substituted: every reader keeps the last of a repeated header (a dict of
    # the list), so the prefix wins over an ``x-sandbox-session`` the client also sent.
    scope["headers"] = [*scope["headers"], (_SESSION_BYTES, name)]
    headers = scope.get(SCOPE_HEADERS_KEY)
    if headers is not None:  # the dict made of the list before (``scope.scope_headers``)
        headers[_SESSION_BYTES] = name
    scope[PREFIX_KEY] = SESSION_PREFIX + segment.decode("ascii", "replace")
    return rest


def is_admin(path: str) -> bool:
    """A path of the sandbox's own surface (after any session prefix left it)."""
    return path.startswith(ADMIN) and (len(path) == len(ADMIN) or path[len(ADMIN)] == "/")


def targets_admin(path: str) -> bool:
    """``is_admin`` for a path as it arrived (a session prefix may still be on it)."""
    if path.startswith(SESSION_PREFIX):
        path = "/" + path[len(SESSION_PREFIX) :].partition("/")[2]
    return is_admin(path)
