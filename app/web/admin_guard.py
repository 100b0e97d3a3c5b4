"""Who may use the admin surface (``/_sandbox/...``): never another web origin.

The journal holds what apps sent and ``reset`` wipes a CI run's state, so:

* **No CORS, ever**: ``cors.CorsMiddleware`` passes admin paths through untouched (no
  preflight grant, no ``access-control-allow-origin``, whatever the browser-access header or
  ``SANDBOX_CORS_ALLOW_ANY_ORIGIN`` say), and a request whose ``Origin`` is not the server's
  own is refused here, so a page cannot even fire a blind ``POST /_sandbox/reset``.
* **Known Host names only**: loopback names (``localhost``, ``*.localhost``, ``127.0.0.0/8``,
  ``::1``) and ``SANDBOX_ADMIN_HOSTS`` (the container sets ``sandbox``, the compose service
  name). A DNS-rebinding page reaches the server under its own name, which is refused.
* **An optional token**: with ``SANDBOX_ADMIN_TOKEN`` set, every admin route needs it in
  ``x-sandbox-admin-token`` or ``authorization: Bearer``, except the inspector page's own
  files (``GET /_sandbox/`` and ``/_sandbox/assets/...``: static, no data), which a browser
  loads before the page can ask for the token; the Host and Origin checks apply to them.

The same trusted Host names are the only ones absolute URLs handed out are built from
(``scope.base_url_of``).
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

from ..errors import ApiError, AuthenticationError, PermissionDeniedError

TOKEN_HEADER = "x-sandbox-admin-token"


def host_name(host: str) -> str:
    """The name of a ``Host`` header value, port and IPv6 brackets removed, lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def is_loopback(name: str) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class AdminGuard:
    def __init__(self, hosts: tuple[str, ...] = (), token: str | None = None) -> None:
        self.any_host = "*" in hosts
        self.hosts = frozenset(host_name(h) for h in hosts if h != "*")
        self.token = token.encode() if token else None

    def trusted(self, host: str | None) -> bool:
        """Whether a ``Host`` header value names this server (loopback or configured)."""
        if not host:
            return False
        if self.any_host:
            return True
        name = host_name(host)
        return name in self.hosts or is_loopback(name)

    def refusal(self, headers: Mapping[bytes, bytes], *, token: bool = True) -> ApiError | None:
        """Why an admin request is refused (None: it may pass); ``token``: whether the
        route needs the admin token (see ``page_file``)."""
        host = headers.get(b"host", b"").decode("latin-1")
        if not self.trusted(host):
            return PermissionDeniedError(
                f"Host {host!r} may not use /_sandbox/: it answers loopback names and "
                "SANDBOX_ADMIN_HOSTS only (a guard against DNS rebinding)."
            )
        origin = headers.get(b"origin")
        if origin is not None and not same_origin(origin.decode("latin-1"), host):
            return PermissionDeniedError(
                "/_sandbox/ refuses requests from web pages of another origin "
                f"(Origin {origin.decode('latin-1')!r})."
            )
        if token and self.token is not None and not self._token_ok(headers):
            return AuthenticationError(
                f"/_sandbox/ needs the admin token (SANDBOX_ADMIN_TOKEN): send it in "
                f"`{TOKEN_HEADER}` or `authorization: Bearer`."
            )
        return None

    def _token_ok(self, headers: Mapping[bytes, bytes]) -> bool:
        assert self.token is not None
        given = headers.get(TOKEN_HEADER.encode())
        if given is None:
            scheme, _, value = headers.get(b"authorization", b"").strip().partition(b" ")
            given = value.strip() if scheme.lower() == b"bearer" else None
        return given is not None and hmac.compare_digest(given.strip(), self.token)


def page_file(method: str, path: str) -> bool:
    """A file of the inspector page (``web/inspector``): served without the admin token."""
    return method == "GET" and (
        path in ("/_sandbox", "/_sandbox/") or path.startswith("/_sandbox/assets/")
    )


def same_origin(origin: str, host: str) -> bool:
    """Whether a browser's ``Origin`` is the server's own (scheme://host[:port] = Host)."""
    _, sep, rest = origin.partition("://")
    return bool(sep) and rest.lower().rstrip("/") == host.strip().lower()
