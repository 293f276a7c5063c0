"""What the store keeps of a questionnaire: its XForm and a few facts read from it.

XLSForms are compiled by the form engine (``fieldsurvey.forms.load_form``); an XForm file
(``.xml``) is read directly. The id, version, title and languages come from the XForm
itself, so a form downloaded from a server installs the same way as one built here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from fieldsurvey.errors import FormError, StoreError
from fieldsurvey.i18n.core import N_
from fieldsurvey.safe_names import check_form_id, check_version

XFORMS_NS = "http://www.w3.org/2002/xforms"
HTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass
class FormSource:
    """A questionnaire ready to be installed."""

    xform: str
    form_id: str
    version: str | None
    title: str
    languages: list[str]
    default_language: str | None
    source_sha256: str
    source_name: str
    source_path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    media_files: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class XFormFacts:
    form_id: str
    version: str | None
    title: str
    languages: list[str]
    default_language: str | None
    root_name: str


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xform_facts(xform: str, *, name: str = "XForm") -> XFormFacts:
    """Form id, version, title and languages of an XForm; FormError when it has none."""
    try:
        root = SafeET.fromstring(xform)
    except Exception as exc:  # ParseError, or defusedxml refusing entities
        raise FormError(
            N_("The file is not a valid XForm."), code="xform_invalid", path=name, detail=str(exc)
        ) from exc
    title = ""
    model = None
    for element in root.iter():
        local = _local(element.tag)
        if local == "title" and not title:
            title = (element.text or "").strip()
        elif local == "model" and model is None:
            model = element
    instance = None
    if model is not None:
        for child in model:
            # The main instance is the first <instance> without an id.
            if _local(child.tag) == "instance" and child.get("id") is None:
                instance = next(iter(child), None)
                break
    if instance is None or not instance.get("id"):
        raise FormError(
            N_("The XForm has no main instance with a form id."), code="xform_no_id", path=name
        )
    languages: list[str] = []
    default_language = None
    if model is not None:
        for translation in model.iter(f"{{{XFORMS_NS}}}translation"):
            lang = translation.get("lang")
            if lang and lang not in languages:
                languages.append(lang)
                if translation.get("default") and default_language is None:
                    default_language = lang
    # The id and version name the form's folder in the data folder.
    check_form_id(instance.get("id"), error=FormError, path=name)
    check_version(instance.get("version"), error=FormError, path=name)
    return XFormFacts(
        form_id=instance.get("id"),
        version=instance.get("version") or None,
        title=title or instance.get("id"),
        languages=languages,
        default_language=default_language,
        root_name=_local(instance.tag),
    )


def _from_loaded(loaded: Any) -> FormSource:
    """A FormSource from the engine's LoadedForm (duck-typed: the engine sits below)."""
    xform = loaded.xform
    source_path = getattr(loaded, "source_path", None)
    name = Path(source_path).name if source_path else "XForm"
    facts = xform_facts(xform, name=name)
    definition = getattr(loaded, "definition", None)
    languages = list(getattr(definition, "languages", None) or facts.languages)
    default_language = getattr(definition, "default_language", None) or facts.default_language
    sha = getattr(loaded, "source_sha256", None) or sha256_bytes(xform.encode("utf-8"))
    return FormSource(
        xform=xform,
        form_id=facts.form_id,
        version=facts.version,
        title=getattr(definition, "title", None) or facts.title,
        languages=languages,
        default_language=default_language,
        source_sha256=sha,
        source_name=name,
        source_path=Path(source_path) if source_path else None,
        warnings=list(getattr(loaded, "warnings", None) or []),
        media_files=dict(getattr(loaded, "media_files", None) or {}),
    )


def read_form_source(path_or_loaded: Any) -> FormSource:
    """Load a questionnaire file (XLSForm or XForm) or take an engine LoadedForm."""
    if hasattr(path_or_loaded, "xform"):
        return _from_loaded(path_or_loaded)
    path = Path(path_or_loaded)
    if not path.is_file():
        raise StoreError(
            N_("The questionnaire file {name} does not exist."),
            code="not_found",
            params={"name": str(path)},
        )
    try:
        from fieldsurvey.forms import load_form
    except ImportError:
        load_form = None
    if load_form is not None:
        return _from_loaded(load_form(path))
    if path.suffix.lower() != ".xml":
        raise StoreError(
            N_("This build cannot read the questionnaire {name}: the form engine is missing."),
            code="no_engine",
            params={"name": path.name},
        )
    data = path.read_bytes()
    try:
        xform = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormError(
            N_("The XForm is not UTF-8 text."), code="xform_invalid", path=str(path)
        ) from exc
    facts = xform_facts(xform, name=path.name)
    return FormSource(
        xform=xform,
        form_id=facts.form_id,
        version=facts.version,
        title=facts.title,
        languages=facts.languages,
        default_language=facts.default_language,
        source_sha256=sha256_bytes(data),
        source_name=path.name,
        source_path=path,
    )
