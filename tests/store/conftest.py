"""Fixtures of the store tests: a small XForm on disk, an open store, instance XML."""

from __future__ import annotations

import pytest

from fieldsurvey.store import open_store

XFORM = """<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"
    xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
  <h:head>
    <h:title>{title}</h:title>
    <model>
      <itext>
        <translation lang="English (en)" default="true()">
          <text id="/household/name:label"><value>Name</value></text>
        </translation>
        <translation lang="Español (es)">
          <text id="/household/name:label"><value>Nombre</value></text>
        </translation>
      </itext>
      <instance>
        <household id="household" version="{version}">
          <name/><age/>
          <meta><instanceID/></meta>
        </household>
      </instance>
      <bind nodeset="/household/name" type="string"/>
      <bind nodeset="/household/age" type="int"/>
      <bind nodeset="/household/meta/instanceID" type="string" readonly="true()"
            jr:preload="uid"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/household/name"><label ref="jr:itext('/household/name:label')"/></input>
    <input ref="/household/age"><label>Age</label></input>
  </h:body>
</h:html>
"""


def write_xform(folder, version="1", title="Household", name=None):
    path = folder / (name or f"household-{version}.xml")
    path.write_text(XFORM.format(version=version, title=title), encoding="utf-8")
    return path


def instance(instance_id, name="", age="", version="1", extra_meta=""):
    """An OpenRosa instance of the household form."""
    return (
        f'<household xmlns:orx="http://openrosa.org/xforms" id="household" version="{version}">'
        f"<name>{name}</name><age>{age}</age>"
        f"<meta><instanceID>{instance_id}</instanceID>{extra_meta}</meta></household>"
    )


@pytest.fixture
def xform_path(tmp_path):
    return write_xform(tmp_path)


@pytest.fixture
def store(data_dir, xform_path):
    """An open store with version 1 of the household form installed."""
    with open_store(data_dir) as opened:
        opened.install_form(xform_path)
        yield opened
