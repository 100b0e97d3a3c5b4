"""Text cut into stream deltas: whole token-like pieces, never half a grapheme."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from .. import tokens

_ZWJ = "\u200d"
# Variation selectors, emoji skin-tone modifiers and the keycap mark extend the character
# before them.
_EXTENDERS = frozenset(["\ufe0e", "\ufe0f", "\u20e3", *(chr(c) for c in range(0x1F3FB, 0x1F400))])
_REGIONAL = "".join(chr(c) for c in range(0x1F1E6, 0x1F200))


def chunks(text: str, chunk_size: int) -> Iterator[str]:
    """Whole token-like pieces grouped to about ``chunk_size`` characters.

    Never splits a character, nor a grapheme such as an emoji ZWJ sequence, a flag or a
    letter with its combining marks, so a client printing deltas as they come never shows
    half an emoji."""
    buf = ""
    for piece in tokens.pieces(text):
        if len(buf) >= chunk_size and (
            (buf[-1] < "\x80" and piece[0] < "\x80") or not _joins(buf, piece)
        ):
            yield buf
            buf = ""
        buf += piece
    if buf:
        yield buf


def _joins(before: str, after: str) -> bool:
    """Whether ``after`` continues the grapheme that ``before`` ends with."""
    last, nxt = before[-1], after[0]
    if last == _ZWJ or nxt == _ZWJ or nxt in _EXTENDERS or unicodedata.combining(nxt):
        return True
    if "\U000e0020" <= nxt <= "\U000e007f":  # emoji tag sequences (subdivision flags)
        return True
    if _is_regional(last) and _is_regional(nxt):
        # Flags are pairs of regional indicators: join only an unpaired trailing one.
        run = len(before) - len(before.rstrip(_REGIONAL))
        return run % 2 == 1
    return False


def _is_regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"
