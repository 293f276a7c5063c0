"""``diaspora_organizations``: the study questionnaire on diaspora organizations of Central
America and Mexico and their links with governments (enable, engage, empower)."""

from __future__ import annotations

from ..languages import DEFAULT_LANGUAGE
from ..workbook import FormSpec
from .activities import ACTIVITIES, PROJECTS
from .choices import CHOICES
from .governments import CONTACT, GOVERNMENTS, OBSTACLES
from .opening import CONSENT, INTERVIEW, META, PROFILE

VERSION = "2026112701"

SPEC = FormSpec(
    settings={
        "form_title": "Organizaciones de la diáspora de Centroamérica y México",
        "form_id": "diaspora_organizations",
        "version": VERSION,
        "instance_name": (
            "concat(if(${org_name} != '', concat(${org_name}, ' – ', ${dest_city}, ' '), ''), "
            "${interview_date})"
        ),
        "default_language": DEFAULT_LANGUAGE,
    },
    survey=[
        *META, *INTERVIEW, *CONSENT, *PROFILE, *ACTIVITIES, *PROJECTS,
        *GOVERNMENTS, *OBSTACLES, *CONTACT,
    ],  # fmt: skip
    choices=CHOICES,
)
