"""The ODK XPath function library (ODK XForms spec, "XPath Functions").

Each function receives the evaluation focus and its arguments as *unevaluated* compiled
closures, so ``if()``, ``coalesce()`` and ``once()`` evaluate only what they need and
node-set functions see node-sets. ``FUNCTIONS`` also gives the argument counts the parser
enforces when a form is loaded.

The implementations live in :mod:`fieldsurvey.forms.xpath.functions`, one module per
family (strings, logic, numbers, node-sets and repeats, selects, dates, geography); this
module is where the rest of the engine reads the registry from.
"""

from fieldsurvey.forms.xpath import functions as _functions  # noqa: F401  (registers all)
from fieldsurvey.forms.xpath.functions.registry import (
    FUNCTIONS,
    PREFIXED_FUNCTIONS,
    FunctionSpec,
    odk_function,
)
from fieldsurvey.forms.xpath.functions.selects import strip_predicates, template_path

__all__ = [
    "FUNCTIONS",
    "PREFIXED_FUNCTIONS",
    "FunctionSpec",
    "odk_function",
    "strip_predicates",
    "template_path",
]
