"""The world map of partners: countries of the bundled TopoJSON (world-atlas, Natural Earth
1:110m) drawn as SVG paths on the server, each coloured by how the home party's agreements cover
it on the date: directly, only through succession, or not at all."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pycountry

from scidip.registry.agreement.coverage import Coverage

MAP_FILE = Path(__file__).parents[1] / "static" / "map" / "countries-110m.json"
WIDTH, HEIGHT = 960.0, 480.0


def _alpha3(numeric: str | None) -> str | None:
    found = pycountry.countries.get(numeric=numeric) if numeric else None
    return str(found.alpha_3) if found is not None else None


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The arcs as lists of (longitude, latitude): TopoJSON stores them quantized, delta-coded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> str:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their end point
    # Equirectangular projection onto WIDTH x HEIGHT; a ring that crosses the 180th meridian
    # (Russia, Fiji) is cut there into pieces, each closed on its own side of the map.
    parts: list[str] = []
    previous: float | None = None
    for lon, lat in points:
        jump = previous is not None and abs(lon - previous) > 180
        command = "M" if previous is None else ("Z M" if jump else "L")
        parts.append(f"{command}{(lon + 180) * WIDTH / 360:.1f},{(90 - lat) * HEIGHT / 180:.1f}")
        previous = lon
    return "".join(parts) + "Z"


@functools.cache
def country_paths() -> tuple[tuple[str, str, str], ...]:
    """(alpha-3 code or '', name, SVG path) of every country of the map; read once, on first use."""
    topology = json.loads(MAP_FILE.read_text())
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        path = "".join(_ring(arcs, ring) for polygon in polygons for ring in polygon)
        name = geometry.get("properties", {}).get("name", "")
        shapes.append((_alpha3(geometry.get("id")) or "", name, path))
    return tuple(shapes)


def coverage_classes(cov: Coverage) -> dict[str, str]:
    """How each state is covered on the date: 'direct', 'succession' (only through a
    predecessor's agreement) or absent (not covered); the home party is 'home'."""
    classes = {code: "direct" for code in cov.state_codes}
    for code in cov.through_succession():
        classes[code] = "succession"
    classes[cov.home] = "home"
    return classes
