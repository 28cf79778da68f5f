"""Resolving a typed command against a table of word tuples the ProVision and FastIron way (`sh int br`):
an exact word wins, a unique prefix stands for its word, `<n>` and `<port>` take the word as typed.

Unlike IOS's `resolve()` (simulators/line.py) the port holder is the family's own (`is_port`), and the
family's parse turns a `WordError` into its own message.
"""

from __future__ import annotations

from collections.abc import Callable


class WordError(Exception):
    """`kind` is ambiguous, invalid or incomplete; `token` the word as typed (empty for incomplete)."""

    def __init__(self, kind: str, token: str = "") -> None:
        super().__init__(kind, token)
        self.kind, self.token = kind, token


def resolve_words(line: str, table: list[tuple[str, ...]], is_port: Callable[[str], bool],
                  nested_prefixes: bool = False) -> tuple[str, ...]:
    """The full words of `line`. With `nested_prefixes`, a prefix of words that extend one another (`conf`:
    config/configure, the same command) stands for the shortest of them instead of being ambiguous."""
    toks = line.split()
    cands = table
    words: list[str] = []
    for i, tok in enumerate(toks):
        t = tok.lower()
        live = [c for c in cands if len(c) > i]
        exact = [c for c in live if c[i] == t]
        if exact:
            words.append(t)
            cands = exact
            continue
        fixed = sorted({c[i] for c in live if not c[i].startswith("<") and c[i].startswith(t)}, key=len)
        if len(fixed) == 1 or fixed and nested_prefixes and all(f.startswith(fixed[0]) for f in fixed):
            words.append(fixed[0])
            cands = [c for c in live if c[i] in fixed]
            continue
        if fixed:
            raise WordError("ambiguous", tok)
        holders = [c for c in live if c[i] == "<n>" and t.isdigit() or c[i] == "<port>" and is_port(t)]
        if not holders:
            raise WordError("invalid", tok)
        words.append(t)
        cands = holders
    if not any(len(c) == len(toks) for c in cands):
        raise WordError("incomplete")
    return tuple(words)
