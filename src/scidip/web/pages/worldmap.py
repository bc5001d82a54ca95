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


def _unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with each longitude moved by whole turns to within 180° of the one before, so
    that a ring crossing the 180th meridian stays one shape (reaching past -180 or 180)."""
    out: list[tuple[float, float]] = []
    for lon, lat in points:
        if out:
            previous = out[-1][0]
            lon += 360 * round((previous - lon) / 360)
        out.append((lon, lat))
    if abs(out[-1][0] - out[0][0]) > 180:  # around a pole (Antarctica): close along the edge
        pole = -90.0 if sum(lat for _, lat in out) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole)]
    return out


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> str:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their end point
    ring = _unwrapped(points)
    # Equirectangular projection onto WIDTH x HEIGHT. A ring reaching past the 180th meridian is
    # drawn again one turn over, so that each side of the map shows its part (the SVG's view box
    # clips what lies outside).
    lons = [lon for lon, _ in ring]
    shifts = [0.0] + ([360.0] if min(lons) < -180 else []) + ([-360.0] if max(lons) > 180 else [])
    return "".join(
        "M"
        + "L".join(
            f"{(lon + shift + 180) * WIDTH / 360:.1f},{(90 - lat) * HEIGHT / 180:.1f}"
            for lon, lat in ring
        )
        + "Z"
        for shift in shifts
    )


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
