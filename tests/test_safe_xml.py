"""Untrusted XML: the fast path only where no entity can be declared."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from defusedxml.common import DefusedXmlException

from fieldsurvey.safe_xml import parse_untrusted, surely_without_dtd

BOMB = """<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<data><q>&b;</q></data>"""


def test_plain_instance_is_parsed():
    root = parse_untrusted('<data id="f"><q>Señal</q></data>')
    assert root.find("q").text == "Señal"


@pytest.mark.parametrize("text", [BOMB, BOMB.encode(), BOMB.replace("<!DOCTYPE", "<! DOCTYPE")])
def test_a_document_with_a_dtd_never_takes_the_fast_path(text):
    assert not surely_without_dtd(text)


def test_entity_expansion_is_refused():
    with pytest.raises((DefusedXmlException, ET.ParseError)):
        parse_untrusted(BOMB)


def test_bytes_in_another_encoding_take_the_defused_path():
    assert not surely_without_dtd("<data/>".encode("utf-16"))
    assert not surely_without_dtd(b'<?xml version="1.0" encoding="latin-1"?><data/>')
    assert surely_without_dtd(b'<?xml version="1.0" encoding="UTF-8"?><data/>')


def test_malformed_text_is_a_parse_error():
    with pytest.raises(ET.ParseError):
        parse_untrusted("<data><q></data>")
