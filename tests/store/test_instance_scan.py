"""scan_instance (a merge's check of every interview, without a tree) must agree with the
tree: the same instanceID, the same search text, the same refusal of text that is not XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldsurvey.errors import StoreError
from fieldsurvey.store.instance_xml import _scan, read_meta, scan_instance, search_text_of

ORX = 'xmlns:orx="http://openrosa.org/xforms"'


def by_tree(xml: str, name: str = "") -> tuple[str | None, str]:
    return read_meta(xml).instance_id, search_text_of(xml, name)


# (instance, read without the tree)
CASES = {
    "compact": ('<data id="f"><a>Alpha</a><g><b>2</b><c/></g>'
                "<meta><instanceID>uuid:1</instanceID></meta></data>", True),
    "declaration and pretty printing": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<data id="f">\n  <a>  Alpha beta </a>\n'
        "  <g>\n    <b>2</b>\n  </g>\n  <meta>\n    <instanceID> uuid:1 </instanceID>\n"
        "  </meta>\n</data>\n", True),
    "openrosa meta": (f'<data id="f" {ORX}><a>x</a><orx:meta><orx:instanceID>uuid:1'
                      "</orx:instanceID></orx:meta></data>", True),
    "default namespace": ('<data xmlns="http://www.w3.org/2002/xforms" id="f"><a>x</a>'
                          "<meta><instanceID>uuid:1</instanceID></meta></data>", True),
    "references": ("<data><a>Tom &amp; Jerry &lt;3 &#233;t&#xE9; &quot;q&apos;</a><b>&#32;x"
                   "</b><meta><instanceID>uuid:&amp;1</instanceID></meta></data>", True),
    "unicode": ("<data><a>Ñandú ДОМ Straße</a><meta><instanceID>uuid:ü</instanceID></meta>"
                "</data>", True),
    "meta before the answers": ("<data><meta><instanceID>uuid:1</instanceID></meta>"
                                "<a>after</a></data>", True),
    "meta self-closing": ("<data><a>x</a><meta/></data>", True),
    "instanceID self-closing": ("<data><a>x</a><meta><instanceID/></meta></data>", True),
    "instanceID after deprecatedID": (
        "<data><a>x</a><meta><deprecatedID>uuid:0</deprecatedID><instanceName>Name"
        "</instanceName><instanceID>uuid:1</instanceID></meta></data>", True),
    "no meta": ("<data><a>x</a></data>", True),
    "spaces inside tags": ('<data ><a >x</a ><meta\n><instanceID\t>uuid:1</instanceID >'
                           "<b/></meta ></data >", True),
    "meta with a child named like it": (
        "<data><a>x</a><meta><metadata>m</metadata><meta_x/><instanceID>uuid:1</instanceID>"
        "</meta></data>", True),
    "root-level text": ("<data>lead<a>x</a>tail<meta><instanceID>uuid:1</instanceID></meta>"
                        "end</data>", True),
    "mixed content": ("<data><g>intro<a>x</a>outro</g><meta><instanceID>uuid:1</instanceID>"
                      "</meta></data>", True),
    "attributes": ('<data id="f" version="3"><a kind="x y">v</a><meta a="1"><instanceID '
                   'b="2">uuid:1</instanceID></meta></data>', True),
    "fields named like meta": ("<data><metadata>m</metadata><a>meta info</a><b>x:meta y</b>"
                               "<meta><instanceID>uuid:1</instanceID></meta></data>", True),
    # Read through the tree:
    "comment": ("<data><a>x<!-- note --></a><meta><instanceID>uuid:1</instanceID></meta>"
                "</data>", False),
    "CDATA": ("<data><a><![CDATA[<b>]]></a><meta><instanceID>uuid:1</instanceID></meta>"
              "</data>", False),
    "processing instruction": ("<data><?pi x?><a>x</a><meta><instanceID>uuid:1"
                               "</instanceID></meta></data>", False),
    "greater-than in a text": ("<data><a>1 > 0</a><meta><instanceID>uuid:1</instanceID>"
                               "</meta></data>", False),
    "greater-than in an attribute": ('<data><a x="1>0">y</a><meta><instanceID>uuid:1'
                                     "</instanceID></meta></data>", False),
    "carriage returns": ("<data><a>one\r\ntwo</a><meta><instanceID>uuid:1</instanceID>"
                         "</meta></data>", False),
    "meta inside a group": ("<data><g><meta><instanceID>uuid:1</instanceID></meta></g>"
                            "<a>x</a></data>", False),
    "two metas": ("<data><meta><instanceID>uuid:1</instanceID></meta><meta><instanceID>"
                  "uuid:2</instanceID></meta></data>", False),
    "instanceID inside a group of meta": (
        "<data><meta><g><instanceID>uuid:1</instanceID></g></meta></data>", False),
    "root named meta": ("<meta><instanceID>uuid:1</instanceID></meta>", False),
}


@pytest.mark.parametrize("name", CASES)
def test_the_scan_agrees_with_the_tree(name):
    xml, fast = CASES[name]
    assert scan_instance(xml) == by_tree(xml)
    assert scan_instance(xml, "Cooperativa Él") == by_tree(xml, "Cooperativa Él")
    # Ordinary instances are read without the tree: that is the scan's reason to be.
    assert (_scan(xml) is not None) == fast


def test_the_search_text_holds_answers_not_meta():
    xml = CASES["references"][0]
    assert scan_instance(xml, "Name") == ("uuid:&1", "name\ntom & jerry <3 été \"q'\nx")


@pytest.mark.parametrize("xml", [
    "<data><a>x</a>",  # truncated
    "<data><a>x</b></data>",
    "<data><a>&nbsp;</a></data>",  # undefined entity
    "<data><orx:meta/></data>",  # unbound prefix
    "not xml at all",
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d><a>&a;</a></d>',
    "",
])
def test_text_that_is_not_xml_is_refused_as_by_the_tree(xml):
    with pytest.raises(StoreError) as scanned:
        scan_instance(xml)
    with pytest.raises(StoreError) as tree:
        by_tree(xml)
    assert scanned.value.code == tree.value.code == "bad_instance"


texts = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(["&", "<", ">", '"', "'", " ", "\n", "\t", "\r", "meta", "instanceID",
                       "<meta>", "]]>"]),
    max_size=8,
).map("".join)
# Mostly plain texts, so that most instances are read without the tree.
texts = st.from_regex(r"[A-Za-z0-9 :-]{0,10}", fullmatch=True) | texts
names = st.sampled_from(["a", "b", "meta_x", "metadata", "g1", "instanceIDs"])


@st.composite
def elements(draw, depth=0):
    element = ET.Element(draw(names))
    element.text = draw(texts)
    if depth < 3:
        for _ in range(draw(st.integers(0, 3))):
            child = draw(elements(depth + 1))
            child.tail = draw(st.sampled_from(["", "\n  ", draw(texts)]))
            element.append(child)
    return element


@st.composite
def instances(draw):
    root = ET.Element("data", {"id": "f", "version": draw(texts)})
    root.text = draw(st.sampled_from(["", "\n", draw(texts)]))
    children = draw(st.lists(elements(), max_size=4))
    meta = ET.Element(draw(st.sampled_from(["meta", "{http://openrosa.org/xforms}meta"])))
    for name in draw(st.lists(st.sampled_from(["instanceID", "deprecatedID", "instanceName",
                                               "metadata", "meta_x", "instanceIDs"]),
                              unique=True)):
        ET.SubElement(meta, name).text = draw(texts)
    children.insert(draw(st.integers(0, len(children))), meta)
    for child in children:
        root.append(child)
    xml = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0"?>\n' + xml) if draw(st.booleans()) else xml


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["", "Name", "ÉCOLE"]))
def test_the_scan_agrees_with_the_tree_on_random_instances(xml, display_name):
    assert scan_instance(xml, display_name) == by_tree(xml, display_name)
