"""The inspector page's files (``GET /_sandbox/``): hand-written HTML, JavaScript and CSS,
shipped as package data and served as they are (no build step, nothing from a CDN)."""

from __future__ import annotations

from importlib.resources import files

PAGE = "index.html"
ASSETS = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}
"""Every file the page is made of, and its content type."""


def read_asset(name: str) -> bytes:
    """The bytes of one of ``ASSETS`` (read when asked: they are small, and a server that
    never shows the page never reads them)."""
    return files(__name__).joinpath(name).read_bytes()
