"""Image and PDF facts read from the bytes a request carries (never decoded in full).

Pillow reads only the header of an image (``Image.open`` is lazy), which is enough for the
real media type and the pixel size.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from PIL import Image, UnidentifiedImageError

MAX_LONG_EDGE = 1568
MAX_PIXELS = 1_150_000  # ~1,600 tokens: the documented size above which images are scaled
_FORMAT_TO_MEDIA = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
_PDF_PAGE_RE = re.compile(rb"/Type\s*/Page(?!s)")


def decode_base64(data: str) -> bytes | None:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None


@lru_cache(maxsize=256)
def sniff_image(raw: bytes) -> tuple[str, int, int] | None:
    """(media type, width, height) of an image's bytes, or None when not an image."""
    try:
        with Image.open(io.BytesIO(raw)) as img:
            media_type = _FORMAT_TO_MEDIA.get(img.format or "")
            if media_type is None:
                return None
            return media_type, img.width, img.height
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def image_size(source: Mapping[str, Any]) -> tuple[int, int] | None:
    if source.get("type") != "base64":
        return None
    raw = decode_base64(source.get("data", ""))
    if raw is None:
        return None
    facts = sniff_image(raw)
    return None if facts is None else (facts[1], facts[2])


def scaled_size(width: int, height: int) -> tuple[int, int]:
    """The size the API resizes an image to before counting it."""
    scale = min(1.0, MAX_LONG_EDGE / max(width, height, 1))
    scale = min(scale, math.sqrt(MAX_PIXELS / max(width * height, 1)))
    return max(1, int(width * scale)), max(1, int(height * scale))


def looks_like_pdf(raw: bytes) -> bool:
    return raw[:1024].lstrip().startswith(b"%PDF-")


def pdf_pages(source: Mapping[str, Any]) -> int | None:
    if source.get("type") != "base64":
        return None
    raw = decode_base64(source.get("data", ""))
    if raw is None or not looks_like_pdf(raw):
        return None
    return max(1, len(_PDF_PAGE_RE.findall(raw)))
