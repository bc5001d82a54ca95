"""Read YAML keeping the line of every value, so that errors can name file and line.

Safe against hostile files: PyYAML's safe loader (no Python objects), text that must be UTF-8
(else the file and line of the first bad byte), no recursive alias (``&a [*a]``), and aliases
that may not expand a document beyond :data:`MAX_EXPANSION` times its own nodes (a "billion
laughs" bomb of 1 KB would otherwise expand to hundreds of millions of values). Each refusal is a
``yaml.MarkedYAMLError`` with its line, as a syntax error is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass
class LocatedYaml:
    """A parsed YAML document and the 1-based line of each value, by path."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, location: Sequence[str | int]) -> int:
        """The line of the deepest known value on ``location`` (1 if none is known)."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


MAX_EXPANSION = 10
"""How many times its own nodes a document may become once aliases are expanded (plus
:data:`MAX_SLACK`): shared anchors are fine, a bomb is not."""
MAX_SLACK = 10_000


def _refused(problem: str, mark: yaml.Mark | None) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=mark)


def _expanded_size(root: yaml.Node) -> tuple[int, int]:
    """The number of distinct nodes of a document and of nodes once aliases are expanded;
    ``yaml.MarkedYAMLError`` for a recursive alias."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in on_path:
            raise _refused("recursive alias: a value contains itself", node.start_mark)
        on_path.add(id(node))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        total = 1 + sum(size(child) for child in children)
        on_path.discard(id(node))
        sizes[id(node)] = total
        return total

    expanded = size(root)
    return len(sizes), expanded


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n")
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1)
        mark = yaml.Mark(path.name, exc.start, line, column, None, 0)
        raise _refused(
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read", mark
        ) from None


def _convert(node: yaml.Node, at: Path_, lines: dict[Path_, int], loader: yaml.SafeLoader) -> Any:
    lines[at] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            result[key] = _convert(value_node, (*at, key), lines, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*at, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (several times faster), else PyYAML's own."""


def read_yaml(path: Path) -> LocatedYaml:
    """Parse ``path`` (one YAML document); raises ``yaml.YAMLError`` with its position."""
    loader = _LOADER(_text(path))
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        if node is not None:
            written, expanded = _expanded_size(node)
            if expanded > MAX_EXPANSION * written + MAX_SLACK:
                raise _refused(
                    f"aliases expand {written} values to {expanded}: more than "
                    f"{MAX_EXPANSION} times; refused (write the values out)",
                    node.start_mark,
                )
        data = None if node is None else _convert(node, (), lines, loader)
    except RecursionError:
        raise _refused("nested too deeply", None) from None
    finally:
        loader.dispose()
    return LocatedYaml(path=path, data=data, lines=lines)
