"""Datasets shipped inside the package, found by name."""

from __future__ import annotations

from pathlib import Path

from scidip.datasets.loader import MANIFEST, Manifest
from scidip.datasets.yamlfile import read_yaml
from scidip.errors import NotFound

BUNDLED = Path(__file__).parent


def bundled_datasets() -> dict[str, Manifest]:
    """The bundled datasets by name."""
    found = {}
    for manifest in sorted(BUNDLED.glob(f"*/{MANIFEST}")):
        found[manifest.parent.name] = Manifest.model_validate(read_yaml(manifest).data)
    return found


def resolve_dataset(name_or_path: str) -> Path:
    """A bundled dataset's folder by name, or the folder given; :class:`NotFound` otherwise."""
    path = Path(name_or_path)
    if path.is_dir():
        return path
    bundled = BUNDLED / name_or_path
    if (bundled / MANIFEST).is_file():
        return bundled
    names = ", ".join(bundled_datasets()) or "none"
    raise NotFound(f"{name_or_path!r} is neither a folder nor a bundled dataset (bundled: {names})")
