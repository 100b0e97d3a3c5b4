"""Request headers: who is calling, with which API version and which betas.

Pure functions over a header mapping (lower-cased names); the routes call ``read_caller``
before anything reads the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .errors import AuthenticationError, InvalidRequestError

API_VERSIONS = frozenset({"2023-06-01", "2023-01-01", "2026-10-21"})
_VERSION_OF = {version.encode(): version for version in API_VERSIONS}
"""Each known ``anthropic-version`` header value as sent (bytes), decoded."""
SESSION_HEADER = "x-sandbox-session"
STRICT_HEADER = "x-sandbox-strict"
DEFAULT_SESSION = "global"
"""How responses and templates name the scope of a request outside any session."""
MAX_SESSION_NAME = 256
SESSION_NAME_RULE = f"a session name is 1 to {MAX_SESSION_NAME} characters, no control characters"


def valid_session_name(name: str) -> bool:
    """The one rule for a session name, wherever it is given (header, ``?session=``, the
    ``/session/S`` prefix). Sessions are kept by name: a name is bounded like everything a
    session keeps."""
    return 0 < len(name) <= MAX_SESSION_NAME and name.isprintable()


_NO_HEADERS: Mapping[str, str] = MappingProxyType({})


SCOPE_HEADERS_KEY = "sandbox.headers"
"""Where the routes keep a request's ``RawHeaders`` on its ASGI scope (made once per request)."""

RawHeaders = Mapping[bytes, bytes]
"""Request headers as the server delivers them (names lower-cased), in a dict: only the few
values a request needs are decoded."""


class Caller:
    """What the headers said about a request; passed down the pipeline. Read-only by
    convention: built once per request by ``read_caller``.

    A plain slotted class rather than a frozen dataclass: it is built on every request, and a
    frozen dataclass's ``__init__`` pays an ``object.__setattr__`` call per field (~1 µs).
    A caller whose request sends ``x-sandbox-session`` or ``x-sandbox-strict`` becomes a
    ``_HeadersSent`` in ``__init__`` (its class is set there), which reads them lazily: do
    not subclass ``Caller``, an instance of a subclass would be turned into one too.
    """

    __slots__ = (
        "_headers",
        "_raw",
        "api_key",
        "beta",
        "betas",
        "request_id",
        "session",
        "strict",
        "version",
    )

    request_id: str
    api_key: str
    version: str
    betas: tuple[str, ...]
    beta: bool
    """Whether the beta request surface applies (``?beta=true`` or any ``anthropic-beta``)."""
    session: str | None
    """The session the request belongs to (``x-sandbox-session``, which the edge also sets
    from a ``/session/S`` URL prefix); None outside any session."""
    strict: bool | None
    """``x-sandbox-strict: true|false`` (None: not sent, the session's or server's mode)."""

    def __init__(
        self,
        request_id: str,
        api_key: str,
        version: str,
        betas: tuple[str, ...] = (),
        beta: bool = False,
        headers: Mapping[str, str] | None = None,
        raw: RawHeaders | None = None,
    ) -> None:
        self.request_id = request_id
        self.api_key = api_key
        self.version = version
        self.betas = betas
        self.beta = beta
        self._headers = headers
        self._raw = raw
        # ``session`` and ``strict`` are plain attributes, set here on every request that
        # sends neither header (as properties they cost ~1,000 instructions each a request:
        # Python 3.11 does not specialise a property call). A request that sends one is a
        # ``_HeadersSent``: the header is read, and an invalid one refused, where the
        # attribute is first read, as before (only requests that reach the fixtures are
        # refused for it).
        if raw is not None:
            sent = b"x-sandbox-session" in raw or b"x-sandbox-strict" in raw
        else:
            sent = headers is not None and (SESSION_HEADER in headers or STRICT_HEADER in headers)
        if sent:
            self.__class__ = _HeadersSent
        else:
            self.session = None
            self.strict = None

    @property
    def headers(self) -> Mapping[str, str]:
        """Every request header, decoded on first use (only fixtures that test headers and
        scripted sessions ask)."""
        if self._headers is None:
            self._headers = decode_headers(self._raw.items()) if self._raw else _NO_HEADERS
        return self._headers

    def _session(self) -> str | None:
        headers = self._raw
        if headers is not None:
            raw = headers.get(b"x-sandbox-session")
            if raw is None:
                return None
            value = raw.decode("latin-1")
        else:
            value = self.headers.get(SESSION_HEADER, "")
        if value and not valid_session_name(value):
            raise InvalidRequestError(f"{SESSION_HEADER}: {SESSION_NAME_RULE}")
        return session_name(value)

    def _strict(self) -> bool | None:
        headers = self._raw
        if headers is not None:
            raw = headers.get(b"x-sandbox-strict")
            if raw is None:
                return None
            value: str | None = raw.decode("latin-1")
        else:
            value = self.headers.get(STRICT_HEADER)
        if value is None:
            return None
        value = value.strip().lower()
        if value in ("1", "true", "yes", "on"):
            return True
        if value in ("0", "false", "no", "off"):
            return False
        raise InvalidRequestError(f"{STRICT_HEADER}: expected true or false, got {value!r}")

    def __repr__(self) -> str:
        # Masked: a repr ends up in tracebacks, test failures and debuggers' logs.
        from .journal.redaction import credentials_in, mask, redact_headers

        headers = redact_headers(self.headers, credentials_in(self.headers))
        return (
            f"Caller(request_id={self.request_id!r}, api_key={mask(self.api_key)!r}, "
            f"version={self.version!r}, betas={self.betas!r}, beta={self.beta!r}, "
            f"headers={headers!r})"
        )


class _HeadersSent(Caller):
    """A ``Caller`` whose request sent ``x-sandbox-session`` or ``x-sandbox-strict``: each is
    read from its header when first asked for, then kept (``__getattr__`` runs only for a
    slot not yet set, so ``Caller`` itself keeps Python's specialised attribute reads)."""

    __slots__ = ()

    if not TYPE_CHECKING:  # (mypy still refuses an unknown attribute)

        def __getattr__(self, name: str) -> Any:
            if name == "session":
                session = self._session()
                self.session = session
                return session
            if name == "strict":
                strict = self._strict()
                self.strict = strict
                return strict
            raise AttributeError(name)


def session_name(value: str) -> str | None:
    """A session header's value as a session name (None: outside any session; ``global`` is
    that scope's name, not a session)."""
    name = value.strip()
    return None if not name or name == DEFAULT_SESSION else name


def decode_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Raw ASGI headers as a plain dict (servers deliver names lower-cased already)."""
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in raw}


def credentials(raw: RawHeaders) -> list[str]:
    """The keys a request presents: ``x-api-key`` first, then an ``Authorization: Bearer``."""
    keys = []
    key = raw.get(b"x-api-key")
    if key and (key := key.strip()):
        keys.append(key.decode("latin-1"))
    authorization = raw.get(b"authorization")
    if authorization:  # absent from most requests: skip the parsing
        scheme, _, token = authorization.strip().partition(b" ")
        if scheme.lower() == b"bearer" and (token := token.strip()):
            keys.append(token.decode("latin-1"))
    return keys


def read_caller(
    raw: RawHeaders,
    request_id: str,
    query_beta: bool,
    api_keys: tuple[str, ...],
    known_betas: frozenset[str] | None,
) -> Caller:
    """Check auth, version and betas; raise the real API's errors.

    ``known_betas`` is None outside strict mode: unknown beta names are then accepted, since
    real clients (Claude Code) send names no SDK lists.
    """
    sent = raw.get(b"x-api-key")
    if sent is not None and b"authorization" not in raw:
        # The usual request, one key in x-api-key: ``credentials`` inlined (~700
        # instructions a request, callgrind).
        sent = sent.strip()
        keys = [sent.decode("latin-1")] if sent else []
    else:
        keys = credentials(raw)
    if not keys:
        raise AuthenticationError("x-api-key header is required")
    key = keys[0]
    if api_keys:
        # The TypeScript SDK sends both headers when given both; either may be the good one.
        accepted = [k for k in keys if k in api_keys]
        if not accepted:
            raise AuthenticationError("invalid x-api-key")
        key = accepted[0]

    # The version as sent is one of a few byte strings: one lookup, no decoding.
    version = _VERSION_OF.get(raw.get(b"anthropic-version", b""))
    if version is None:
        version = raw.get(b"anthropic-version", b"").decode("latin-1")
        if not version:
            raise InvalidRequestError("anthropic-version: header is required")
        # Deliberate choice: the real wording for an unknown version is not public.
        raise InvalidRequestError(
            f"anthropic-version: invalid version '{version}'. "
            f"Supported versions: {', '.join(sorted(API_VERSIONS))}"
        )

    raw_betas = raw.get(b"anthropic-beta")
    # Most requests name no beta: skip the split.
    betas: tuple[str, ...] = ()
    if raw_betas:
        betas = tuple(b.strip() for b in raw_betas.decode("latin-1").split(",") if b.strip())
    if betas and known_betas is not None:
        unknown = [b for b in betas if b not in known_betas]
        if unknown:
            raise InvalidRequestError(
                f"Unexpected value(s) `{', '.join(unknown)}` for the `anthropic-beta` header. "
                "Please consult our documentation at platform.claude.com/docs or try again "
                "without the header."
            )
    # Positional, in field order: keyword arguments to a class call cost a dict per request.
    return Caller(request_id, key, version, betas, query_beta or bool(betas), None, raw)
