"""ODK XPath 1.0 for the form engine: compile once, evaluate on ElementTree instances.

    expr = compile_expression("if(${age} >= 18, 'adult', 'minor')")   # after ${} expansion
    expr.evaluate_string(EvalContext(root, node))
    expr.references("/data/grp/q")       # template paths it reads, for the dependency graph
"""

from fieldsurvey.forms.xpath.context import EvalContext
from fieldsurvey.forms.xpath.expressions import (
    Expression,
    XPathEvaluationError,
    XPathSyntaxError,
    compile_expression,
    reference_matches,
)
from fieldsurvey.forms.xpath.odk_functions import strip_predicates
from fieldsurvey.forms.xpath.values import (
    format_number,
    to_boolean,
    to_number,
    to_storage,
    to_string,
)

__all__ = [
    "EvalContext",
    "Expression",
    "XPathEvaluationError",
    "XPathSyntaxError",
    "compile_expression",
    "format_number",
    "reference_matches",
    "strip_predicates",
    "to_boolean",
    "to_number",
    "to_storage",
    "to_string",
]
