"""YAML a user hands the bench (bench files, profiles), read within bounds before it is trusted.

Bounded before it is parsed: a size cap read without reading further, UTF-8 only (UTF-16/32 and
binary files are refused with a line saying to save as UTF-8), nesting depth capped, and aliases
counted as the values they expand to, so an alias bomb is refused after a few thousand nodes
instead of filling memory. libyaml scans when it is installed (fast); the composer that counts is
PyYAML's own, so the bounds hold either way. Every problem is raised as the caller's BadInput class.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.resolver import Resolver

from bench.errors import BadInput

MAX_DEPTH = 64  # a bench file or profile nests four or five levels
MAX_NODES = 250_000  # values after expanding aliases: far above any real bench file, far below a bomb

try:  # libyaml's scanner and parser when available; PyYAML's pure-Python ones otherwise
    from yaml._yaml import CParser as _Parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)


class LimitExceeded(yaml.YAMLError):
    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class _TypedInt(int):
    """A YAML integer whose text reads otherwise (012345 is octal 5349, 12:30 is 750, 0x1F is 31)."""

    source: str


class _TypedFloat(float):
    """A YAML float whose text reads otherwise (1.50 is 1.5)."""

    source: str


def typed_text(value: int | float | str) -> str:
    """The scalar as the user typed it: a password written 012345 stays '012345', not '5349'."""
    return str(getattr(value, "source", value))


class _BoundedLoader(Composer, _Parser, SafeConstructor, Resolver):  # type: ignore[misc, valid-type]
    def __init__(self, text: str) -> None:
        _Parser.__init__(self, text)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> values it stands for, aliases expanded

    def _keep_text(self, node: Any, number: int | float) -> int | float:
        """The number, remembering its text when str() would not give it back (secrets, serials)."""
        if str(number) == node.value:
            return number
        kept = (_TypedInt if isinstance(number, int) else _TypedFloat)(number)
        kept.source = node.value
        return kept

    def construct_yaml_int(self, node: Any) -> int:
        return self._keep_text(node, super().construct_yaml_int(node))  # type: ignore[return-value]

    def construct_yaml_float(self, node: Any) -> float:
        return self._keep_text(node, super().construct_yaml_float(node))  # type: ignore[return-value]

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None and id(target) not in self._sizes:
                raise LimitExceeded(f"alias *{event.anchor} refers to a value that contains it", event.start_mark)
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise LimitExceeded(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
            node: Node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._sizes[id(c)] for c in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        if size > MAX_NODES:
            raise LimitExceeded(f"more than {MAX_NODES:,} values once its aliases (*name) are expanded",
                                event.start_mark)
        self._sizes[id(node)] = size
        return node



_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _BoundedLoader.construct_yaml_int)
_BoundedLoader.add_constructor("tag:yaml.org,2002:float", _BoundedLoader.construct_yaml_float)


def human_size(n: int) -> str:
    return f"{n // (1 << 20)} MiB" if n >= 1 << 20 and n % (1 << 20) == 0 else f"{n // 1024} KiB"


def special_kind(path: str | Path) -> str:
    """What a path is when it exists and is no regular file ('a FIFO (named pipe)', 'a device', 'a socket'):
    opening a FIFO with no writer blocks for ever and a device may never end, so inputs refuse them."""
    try:
        mode = Path(path).stat().st_mode
    except (OSError, ValueError):
        return ""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else ""


def read_text(path: str | Path, what: str, limit: int, error: type[BadInput]) -> str:
    """The file as text, or `error` naming why not: unreadable, a directory, over `limit` bytes, not UTF-8."""
    p = Path(path)
    shown = repr(str(path))[1:-1]  # a path typed with control characters is shown escaped
    if p.is_dir():
        raise error(f"{shown}: is a directory, not a {what}; give the path of the YAML file")
    kind = special_kind(p)
    if kind:
        raise error(f"{shown}: is not a regular file ({kind}); give the path of the {what} itself")
    try:
        with p.open("rb") as fh:
            raw = fh.read(limit + 1)  # never more than the cap, whatever the file (or /dev/zero) holds
    except OSError as e:
        why = e.strerror or str(e)
        raise error(f"{shown}: cannot read the {what} ({why}); check the path and its permissions") from None
    if len(raw) > limit:
        raise error(f"{shown}: larger than {human_size(limit)}, the most a {what} may be; is this the right file?")
    return decode(raw, shown, what, error)


def decode(raw: bytes, shown: str, what: str, error: type[BadInput]) -> str:
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom):
            raise error(f"{shown}: the {what} is {name} text; save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]  # UTF-8 all the same: Windows editors add the mark
    if b"\x00" in raw:
        # Every other byte NUL in text: UTF-16 without its byte-order mark; otherwise binary data.
        odd = raw[1::2].count(0) + raw[0::2].count(0)
        kind = "UTF-16 text" if odd * 3 >= len(raw) else "binary data, not text"
        raise error(f"{shown}: the {what} is {kind}; save it as UTF-8 text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise error(f"{shown}: the {what} is not UTF-8 text (byte 0x{raw[e.start]:02x} on line {line}); "
                    "save it as UTF-8") from None


def load_yaml(text: str, shown: str, what: str, error: type[BadInput]) -> Any:
    """One YAML document with safe types, within MAX_DEPTH and MAX_NODES; `error` on anything wrong."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or getattr(e, "reason", None) or "syntax error"
        raise error(f"{shown}: not valid YAML{at} ({_one_line(problem)}); fix the {what} there") from None
    except (ValueError, OverflowError, TypeError) as e:  # e.g. an integer of 5,000 digits, a 31st of February
        why = "a number is too long" if "integer string conversion" in str(e) else _one_line(str(e))
        raise error(f"{shown}: a value in the {what} cannot be read ({why})") from None
    except RecursionError:  # bounded above; kept so that no input can end in a traceback
        raise error(f"{shown}: the {what} is nested too deeply") from None
    finally:
        loader.dispose()


def _one_line(text: str, limit: int = 120) -> str:
    s = " ".join(str(text).split())
    s = "".join(c if c.isprintable() else "?" for c in s)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def load_file(path: str | Path, what: str, limit: int, error: type[BadInput]) -> Any:
    shown = repr(str(path))[1:-1]
    return load_yaml(read_text(path, what, limit, error), shown, what, error)
