"""The ODK XPath function library, one module per family of functions.

Importing this package registers every function in
:data:`~fieldsurvey.forms.xpath.functions.registry.FUNCTIONS`.
"""

# isort: off
# The order of these imports is the order of the registry (strings first, as always).
from fieldsurvey.forms.xpath.functions import strings  # noqa: F401
from fieldsurvey.forms.xpath.functions import logic  # noqa: F401
from fieldsurvey.forms.xpath.functions import numeric  # noqa: F401
from fieldsurvey.forms.xpath.functions import nodesets  # noqa: F401
from fieldsurvey.forms.xpath.functions import selects  # noqa: F401
from fieldsurvey.forms.xpath.functions import datetimes  # noqa: F401
from fieldsurvey.forms.xpath.functions import geography  # noqa: F401
# isort: on
