"""Does one surface accept what another can send? ``uncovered(a, b)``: the entries of ``a``
(see ``surface``) that ``b`` refuses, request body by request body.

Two surfaces may spell one request shape differently: a union one side tags on ``type``
(``keep.thinking_turns.value``) the other may hold as one object whose ``type`` takes either
value (``keep.value`` with ``keep.type = 'thinking_turns'``), and a key one side lists literal
values for may be any string on the other (``model``). Both accept the same bodies, so neither
is reported. Anything else missing is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

Entries = Mapping[str, Sequence[str]]


def uncovered(a: Entries, b: Entries) -> dict[str, list[str]]:
    """Entry of ``a`` -> the request bodies (roots) where ``b`` does not accept it."""
    index = _Index(a, b)
    out: dict[str, list[str]] = {}
    for entry, roots in a.items():
        missing = [r for r in roots if not index.accepts(entry, r)]
        if missing:
            out[entry] = missing
    return out


class _Index:
    def __init__(self, a: Entries, b: Entries) -> None:
        self.b = b
        self.a_tags = _tags(a)
        self.b_tags = _tags(b)
        self.valued: dict[str, set[str]] = {}  # path -> roots where b lists literal values
        for entry, roots in b.items():
            if entry.startswith("value:"):
                path = entry[len("value:") :].partition("=")[0]
                self.valued.setdefault(path, set()).update(roots)

    def has(self, entry: str, root: str) -> bool:
        return root in self.b.get(entry, ())

    def free(self, path: str, root: str) -> bool:
        """``b`` takes any value at ``path`` (a key with no literal values listed)."""
        return self.has(f"field:{path}", root) and root not in self.valued.get(path, ())

    def accepts(self, entry: str, root: str) -> bool:
        if self.has(entry, root):
            return True
        kind, _, rest = entry.partition(":")
        if kind == "type":
            prefix, _, tag = rest.rpartition(".")
            return any(self._takes_tag(p, tag, root) for p in self._paths(prefix))
        if kind == "value":
            path, _, value = rest.partition("=")
            for p in self._paths(path):
                if self.has(f"value:{p}={value}", root) or self.free(p, root):
                    return True
                holder, _, key = p.rpartition(".")
                if key == "type" and self.has(f"type:{holder}.{value}", root):
                    return True  # a's merged object's type value is one of b's variants
            return False
        return any(self.has(f"field:{p}", root) for p in self._paths(rest))

    def _takes_tag(self, prefix: str, tag: str, root: str) -> bool:
        joined = f"{prefix}.{tag}" if prefix else tag
        if self.has(f"type:{joined}", root):
            return True
        key = f"{prefix}.type" if prefix else "type"
        return self.has(f"value:{key}={tag}", root) or self.free(key, root)

    def _paths(self, path: str) -> Iterator[str]:
        """``path`` spelled as ``b`` would: tags of ``a`` that ``b`` merged dropped, tags of
        ``b`` where ``a`` merged inserted (each possible one)."""
        segs = path.split(".") if path else []
        yield from self._walk(segs, 0, [], inserted=False)

    def _walk(self, segs: list[str], i: int, out: list[str], *, inserted: bool) -> Iterator[str]:
        if i == len(segs):
            yield ".".join(out)
            return
        seg, a_prefix, b_prefix = segs[i], ".".join(segs[:i]), ".".join(out)
        b_here = self.b_tags.get(b_prefix, set())
        if seg in self.a_tags.get(a_prefix, set()) and seg not in b_here:
            yield from self._walk(segs, i + 1, out, inserted=False)  # b merged this union
            return
        yield from self._walk(segs, i + 1, [*out, seg], inserted=False)
        if b_here and seg not in b_here and not inserted:
            for tag in sorted(b_here):  # a merged this union; b tags it
                yield from self._walk(segs, i, [*out, tag], inserted=True)


def _tags(entries: Entries) -> dict[str, set[str]]:
    """Union path -> its ``type`` tags."""
    tags: dict[str, set[str]] = {}
    for entry in entries:
        if entry.startswith("type:"):
            prefix, _, tag = entry[len("type:") :].rpartition(".")
            tags.setdefault(prefix, set()).add(tag)
    return tags
