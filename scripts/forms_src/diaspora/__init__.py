"""``diaspora_organizations``: the study questionnaire on diaspora organizations of Central
America and Mexico and their links with governments (enable, engage, empower)."""

from __future__ import annotations

from ..languages import DEFAULT_LANGUAGE
from ..workbook import FormSpec
from .activities import ACTIVITIES, PROJECTS
from .choices import CHOICES
from .governments import CONTACT, GOVERNMENTS, OBSTACLES
from .opening import CONSENT, INTERVIEW, META, PROFILE

VERSION = "2026112702"

#: Who the interview was with, in any language: the organization, else (consent refused
#: before the profile) the place of the interview, else the researcher. ODK's coalesce
#: takes two arguments, hence the nesting.
WHO = "coalesce(${org_name}, coalesce(${interview_place}, ${researcher}))"

#: "Club Zacatecano – Los Angeles · 2026-11-27": the city only with the organization's name,
#: the separators only between two parts, so no part left empty leaves a dash or a double
#: space (normalize-space also folds spaces typed into the answers).
INSTANCE_NAME = (
    "normalize-space(concat("
    f"{WHO}, "
    "if(${org_name} != '' and ${dest_city} != '', concat(' – ', ${dest_city}), ''), "
    f"if({WHO} != '' and ${{interview_date}} != '', ' · ', ''), "
    "${interview_date}))"
)

SPEC = FormSpec(
    settings={
        "form_title": "Organizaciones de la diáspora de Centroamérica y México",
        "form_id": "diaspora_organizations",
        "version": VERSION,
        "instance_name": INSTANCE_NAME,
        "default_language": DEFAULT_LANGUAGE,
    },
    survey=[
        *META, *INTERVIEW, *CONSENT, *PROFILE, *ACTIVITIES, *PROJECTS,
        *GOVERNMENTS, *OBSTACLES, *CONTACT,
    ],  # fmt: skip
    choices=CHOICES,
)
