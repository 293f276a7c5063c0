"""The form engine (Qt-free core): load questionnaires, run interviews.

``load_form(path)`` reads an XLSForm or XForm; ``parse_xform(text)`` reads a stored XForm;
``FormSession`` runs one interview and serializes it as an OpenRosa instance.
"""

from fieldsurvey.forms.choices import ChoiceView
from fieldsurvey.forms.loader import LoadedForm, load_form
from fieldsurvey.forms.model import Choice, FormDefinition, ItemDef, Itemset, strip_indexes
from fieldsurvey.forms.session import FormSession, NodeState, NodeView, Violation
from fieldsurvey.forms.xform_parser import parse_xform

__all__ = [
    "Choice",
    "ChoiceView",
    "FormSession",
    "NodeState",
    "NodeView",
    "Violation",
    "FormDefinition",
    "ItemDef",
    "Itemset",
    "LoadedForm",
    "load_form",
    "parse_xform",
    "strip_indexes",
]
