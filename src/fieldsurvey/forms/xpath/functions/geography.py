"""Geographic functions: ``area`` and ``distance`` of geopoints, traces and shapes."""

from __future__ import annotations

from fieldsurvey.forms.xpath import geo
from fieldsurvey.forms.xpath.functions.registry import (
    odk_function,
    strings_of,
)


def _geo_points(focus, arg) -> list[tuple[float, float]]:
    value = arg(focus)
    texts = strings_of(value)
    if len(texts) == 1:
        return geo.parse_points(texts[0])
    points = []
    for text in texts:
        points.extend(geo.parse_points(text))
    return points


@odk_function("area", 1)
def fn_area(focus, args):
    return geo.area(_geo_points(focus, args[0]))


@odk_function("distance", 1)
def fn_distance(focus, args):
    return geo.distance(_geo_points(focus, args[0]))
