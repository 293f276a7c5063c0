"""One interview: answers, repeats, relevance and validation over a FormDefinition.

The answers live in an ElementTree instance (what expressions read). Each node of the
instance has a :class:`~fieldsurvey.forms.session.nodes.Node` with its state. An answer
re-evaluates only the computations that read it (see :mod:`fieldsurvey.forms.dependencies`):
calculations in topological order, then relevance (groups before their content), readonly,
required and constraints, each only in the repeat instance it concerns when its expression
is relative.

:class:`FormSession` is assembled from one class per concern: the node tree
(:mod:`.nodes`), recomputation (:mod:`.recompute`), select choices (:mod:`.choice_lists`),
repeats (:mod:`.repeats`), what is shown (:mod:`.views`) and what the engine fills in
itself (:mod:`.preloads`); :mod:`.interview` holds the answers and the record.
"""

from fieldsurvey.forms.session.interview import FormSession, python_value
from fieldsurvey.forms.session.views import NodeState, NodeView, Violation

__all__ = ["FormSession", "NodeState", "NodeView", "Violation", "python_value"]
