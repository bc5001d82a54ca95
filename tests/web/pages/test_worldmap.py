"""The world map's projection: a ring crossing the 180th meridian is drawn whole on each side
(no band across the map), a ring around a pole is closed along the map's edge."""

from __future__ import annotations

import itertools

from scidip.web.pages import worldmap
from scidip.web.pages.worldmap import _ring, country_paths


def test_a_ring_within_the_map_is_one_closed_path() -> None:
    arcs = [[(0.0, 0.0), (90.0, 0.0), (90.0, 45.0), (0.0, 0.0)]]
    # x = (lon + 180) * 960 / 360, y = (90 - lat) * 480 / 180
    assert _ring(arcs, [0]) == "M480.0,240.0L720.0,240.0L720.0,120.0L480.0,240.0Z"


def test_a_ring_across_the_180th_meridian_is_drawn_on_both_sides() -> None:
    # 170°E → 170°W (190°E once unwrapped) and back: one shape, drawn again a turn to the west.
    arcs = [[(170.0, 60.0), (-170.0, 60.0), (-170.0, 70.0), (170.0, 70.0), (170.0, 60.0)]]
    assert _ring(arcs, [0]) == (
        "M933.3,80.0L986.7,80.0L986.7,53.3L933.3,53.3L933.3,80.0Z"
        "M-26.7,80.0L26.7,80.0L26.7,53.3L-26.7,53.3L-26.7,80.0Z"
    )


def test_a_ring_around_the_south_pole_is_closed_along_the_bottom_edge() -> None:
    arcs = [[(-180.0, -80.0), (0.0, -70.0), (180.0, -80.0)]]
    assert _ring(arcs, [0]) == ("M0.0,453.3L480.0,426.7L960.0,453.3L960.0,480.0L0.0,480.0Z")


def test_arcs_are_joined_and_reversed_as_topojson_says() -> None:
    arcs = [[(0.0, 0.0), (90.0, 0.0)], [(0.0, 0.0), (90.0, 45.0), (90.0, 0.0)]]
    # arc 0 forwards, then arc 1 backwards (~1): their shared end point once
    assert _ring(arcs, [0, ~1]) == "M480.0,240.0L720.0,240.0L720.0,120.0L480.0,240.0Z"


def test_no_country_path_jumps_across_the_map() -> None:
    """In the bundled map, no segment of any path spans half the map's width, except along the
    bottom edge (Antarctica closed at the pole)."""
    edges = {0.0, worldmap.HEIGHT}
    for code, name, path in country_paths():
        for part in path.split("M")[1:]:
            points = [tuple(map(float, p.split(","))) for p in part.rstrip("Z").split("L")]
            for (x0, y0), (x1, y1) in itertools.pairwise(points):
                assert abs(x1 - x0) < worldmap.WIDTH / 2 or {y0, y1} <= edges, (code, name)
