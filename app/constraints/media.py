"""Image and PDF facts read from the bytes a request carries, and the limits the API puts on them.

Pillow reads only the header of an image (``Image.open`` is lazy), which is enough for the
real media type and the pixel size. PDFs are recognised by their header and their page count
is estimated from ``/Type /Page`` objects; nothing is rendered.

The ``check_*`` functions raise the real API's errors; ``path`` is the dotted location of the
block's source as the API names it (``messages.0.content.1.image.source.base64``).
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

from ..errors import InvalidRequestError

MAX_LONG_EDGE = 1568
# The docs' table of sizes that are not resized goes up to 784x1568 (1,229,312 px, ~1,640
# tokens); 1092x1092 is ~1590 tokens, so the pixel cap sits just above the table's largest entry.
MAX_PIXELS = 1_230_000
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_EDGE = 8000
MANY_IMAGES = 20
MANY_IMAGES_EDGE = 2000
_BOMB_EDGE = 13_400  # sqrt of Pillow's hard pixel limit: the smallest long edge it refuses
_FORMAT_TO_MEDIA = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
_PDF_PAGE_RE = re.compile(rb"/Type\s*/Page(?!s)")
_PDF_ENCRYPT_RE = re.compile(rb"/Encrypt\s")


@lru_cache(maxsize=8)
def decode_base64(data: str) -> bytes | None:
    # Cached by the string itself: the rules and the token counter look at the same request
    # object, so the second lookup costs a cached hash, not a second decode of megabytes.
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None


# Keyed by the bytes themselves, so kept as small as decode_base64's cache: a long-running
# server must not pin hundreds of decoded images (the rules and the counter share these).
@lru_cache(maxsize=8)
def sniff_image(raw: bytes) -> tuple[str, int, int] | None:
    """(media type, width, height) of an image's bytes, or None when not an image."""
    # Pillow is imported with the first image a request carries (most runs see none).
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as img:
            media_type = _FORMAT_TO_MEDIA.get(img.format or "")
            if media_type is None:
                return None
            return media_type, img.width, img.height
    except Image.DecompressionBombError:
        # Pillow refuses headers above ~179 MP before telling the size; such an image has an
        # edge far beyond the API's limit, so report it as oversized rather than unreadable.
        media_type = _magic_media_type(raw)
        return None if media_type is None else (media_type, _BOMB_EDGE, _BOMB_EDGE)
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def _magic_media_type(raw: bytes) -> str | None:
    if raw.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if raw.startswith(b"\x89PNG"):
        return "image/png"
    if raw.startswith(b"GIF8"):
        return "image/gif"
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "image/webp"
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


def count_pdf_pages(raw: bytes) -> int:
    return max(1, len(_PDF_PAGE_RE.findall(raw)))


def pdf_pages(source: Mapping[str, Any]) -> int | None:
    if source.get("type") != "base64":
        return None
    raw = decode_base64(source.get("data", ""))
    if raw is None or not looks_like_pdf(raw):
        return None
    return count_pdf_pages(raw)


def check_image(path: str, source: Mapping[str, Any], *, many: bool) -> None:
    """Refuse a base64 image the real API refuses; ``many`` when the request has > 20 images."""
    data = source.get("data", "")
    # Deliberate choice: the 5 MB limit is measured on the base64 text, which is what makes
    # real clients hit it with ~3.8 MB files.
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidRequestError(
            f"{path}: image exceeds 5 MB maximum: {len(data)} bytes > {MAX_IMAGE_BYTES} bytes"
        )
    raw = decode_base64(data)
    if raw is None:
        # Deliberate choice: the real wording for undecodable base64 is not public.
        raise InvalidRequestError(f"{path}.data: The image data is not valid base64.")
    facts = sniff_image(raw)
    if facts is None:
        raise InvalidRequestError(f"{path}.data: Could not process image")
    actual, width, height = facts
    declared = source.get("media_type")
    if actual != declared:
        raise InvalidRequestError(
            f"{path}.data: Image does not match the provided media type {declared}"
        )
    if max(width, height) > MAX_IMAGE_EDGE:
        # Deliberate choice: worded after the real many-image message below.
        raise InvalidRequestError(
            f"{path}.data: At least one of the image dimensions exceed max allowed size: "
            f"{MAX_IMAGE_EDGE} pixels"
        )
    if many and max(width, height) > MANY_IMAGES_EDGE:
        raise InvalidRequestError(
            f"{path}.data: At least one of the image dimensions exceed max allowed size for "
            f"many-image requests: {MANY_IMAGES_EDGE} pixels"
        )


def check_pdf(path: str, source: Mapping[str, Any]) -> int:
    """Refuse base64 bytes that are not a usable PDF; return its page count."""
    raw = decode_base64(source.get("data", ""))
    if raw is None:
        # Deliberate choice: the real wording for undecodable base64 is not public.
        raise InvalidRequestError(f"{path}.data: The PDF data is not valid base64.")
    if not looks_like_pdf(raw):
        raise InvalidRequestError(f"{path}.data: The PDF specified was not valid.")
    if _PDF_ENCRYPT_RE.search(raw):
        raise InvalidRequestError(f"{path}.data: The PDF specified is password protected.")
    return count_pdf_pages(raw)
