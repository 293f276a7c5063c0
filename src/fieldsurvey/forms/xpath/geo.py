"""Geographic functions of ODK XPath: ``area()`` and ``distance()`` on a spherical Earth.

ODK uses a sphere with the Earth's equatorial circumference (40 075 km) and ignores
altitude; distance sums haversine great-circle lengths, area is the spherical polygon
formula ("Some algorithms for polygons on a sphere", Chamberlain and Duquette, JPL 2007).
"""

from __future__ import annotations

import math

EARTH_RADIUS_M = 40_075_000 / (2 * math.pi)


def parse_points(text: str) -> list[tuple[float, float]]:
    """``"lat lon alt acc; lat lon ..."`` (geopoint, geotrace, geoshape) as (lat, lon)."""
    points = []
    for chunk in text.split(";"):
        parts = chunk.split()
        if len(parts) < 2:
            continue
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            return []
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return []
        points.append((lat, lon))
    return points


def distance(points: list[tuple[float, float]]) -> float:
    """Length in metres of the line through ``points`` in order (0 for fewer than two)."""
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:], strict=False):
        phi1, phi2 = math.radians(lat1), math.radians(lat2)
        dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
        h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
        total += 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
    return total


def area(points: list[tuple[float, float]]) -> float:
    """Area in square metres of the polygon through ``points`` (closed or not)."""
    if len(points) < 3:
        return 0.0
    if points[0] != points[-1]:
        points = [*points, points[0]]
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:], strict=False):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
        )
    return abs(total * EARTH_RADIUS_M * EARTH_RADIUS_M / 2)
