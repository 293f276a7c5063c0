"""elementpath's XPath 1.0 parser, taught the ODK function library.

Only the grammar comes from elementpath: the parser builds a token tree, and
``expressions.py`` compiles that tree into Python closures with ODK semantics. Every
function name the parser accepts is one that ``odk_functions.py`` implements, so an
unknown function (``concatx(...)``) fails when the form is loaded, not during an interview.
"""

from __future__ import annotations

import threading

from elementpath import XPath1Parser
from elementpath.tdop import Parser
from elementpath.xpath_tokens import XPathFunction

from fieldsurvey.forms.xpath.odk_functions import FUNCTIONS, PREFIXED_FUNCTIONS

#: Namespaces that ODK forms use for function prefixes; any other prefix is accepted too.
ODK_NAMESPACES = {
    "jr": "http://openrosa.org/javarosa",
    "odk": "http://www.opendatakit.org/xforms",
    "orx": "http://openrosa.org/xforms",
    "h": "http://www.w3.org/1999/xhtml",
    "xf": "http://www.w3.org/2002/xforms",
}


class _AnyPrefix(dict):
    """Namespace map that accepts every prefix: instance tags carry no namespaces, and
    paths such as ``/data/orx:meta/orx:instanceID`` are matched by local name."""

    def __missing__(self, prefix: str) -> str:
        return f"urn:fieldsurvey:prefix:{prefix}"


class ODKXPathParser(XPath1Parser):
    """XPath 1.0 with the ODK functions (and without the XPath functions ODK lacks)."""

    symbol_table = {
        name: token
        for name, token in XPath1Parser.symbol_table.items()
        # Functions are registered again below with ODK's argument counts.
        if not (isinstance(token, type) and issubclass(token, XPathFunction)
                and token.label == "function")
    }
    DEFAULT_NAMESPACES = {**XPath1Parser.DEFAULT_NAMESPACES, **ODK_NAMESPACES}
    # instance(...)/root/item and current()/.. start paths, as does a parenthesis.
    PATH_STEP_SYMBOLS = XPath1Parser.PATH_STEP_SYMBOLS | {"instance", "current", "("}

    def __init__(self) -> None:
        super().__init__()
        self.namespaces = _AnyPrefix(self.namespaces)

    def parse(self, source: str):
        """The token tree of ``source``, without elementpath's static evaluation."""
        if self.tokenizer is None:
            self.tokenizer = self.create_tokenizer(self.symbol_table)
        return Parser.parse(self, source)


def _nargs(minimum: int, maximum: int | None):
    if minimum == maximum:
        return minimum
    return (minimum, maximum)


for _name, _spec in FUNCTIONS.items():
    ODKXPathParser.function(_name, nargs=_nargs(_spec.min_args, _spec.max_args))
for (_prefix, _name), _spec in PREFIXED_FUNCTIONS.items():
    ODKXPathParser.function(_name, prefix=_prefix, nargs=_nargs(_spec.min_args, _spec.max_args))
ODKXPathParser.build()

_local = threading.local()


def parse(source: str):
    """Parse with a parser of this thread (elementpath parsers keep state while parsing)."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = ODKXPathParser()
    return parser.parse(source)
