"""The request, read once: the view every stage reads, and what the pass over its blocks found."""

from .found import Found
from .view import RequestView, as_view, last_turn, text_of

__all__ = ["Found", "RequestView", "as_view", "last_turn", "text_of"]
