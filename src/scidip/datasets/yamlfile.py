"""Read YAML keeping the line of every value, so that errors can name file and line."""

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
    text = path.read_text(encoding="utf-8")
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = None if node is None else _convert(node, (), lines, loader)
    finally:
        loader.dispose()
    return LocatedYaml(path=path, data=data, lines=lines)
