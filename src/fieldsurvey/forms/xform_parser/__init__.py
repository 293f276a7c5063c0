"""Read an ODK XForm (what pyxform writes, what ODK Central serves) into a FormDefinition.

The XML is parsed with defusedxml. Instance nodes get plain local names (no namespaces),
as the expression layer expects. Types are told apart the way pyxform writes them: the
body control, the bind type, preloads and readonly notes.

The reading is split by part of the XForm: safe XML input and namespaces
(:mod:`.xml_input`), translations (:mod:`.texts`), the body's controls (:mod:`.body`),
binds and question types (:mod:`.binds`), choice lists (:mod:`.itemsets`); :mod:`.reader`
puts them together.
"""

from fieldsurvey.forms.xform_parser.itemsets import ITEMSETS_CSV, choice_from_item
from fieldsurvey.forms.xform_parser.reader import _parse_cached, parse_xform
from fieldsurvey.forms.xform_parser.xml_input import (
    local,
    localize,
    parse_xml,
    paused_gc,
    qualified,
    strip_namespaces,
)

__all__ = [
    "ITEMSETS_CSV",
    "_parse_cached",
    "choice_from_item",
    "local",
    "localize",
    "parse_xform",
    "parse_xml",
    "paused_gc",
    "qualified",
    "strip_namespaces",
]
