"""Answer an interview through the engine, the way a researcher would.

The filler walks the questionnaire in document order and answers only the questions the
engine says are relevant, with values that agree with one generated organization; an
answer the engine refuses or finds invalid is replaced by another, so every finished
interview validates. Questions it has no rule for get a plausible value for their type,
so any questionnaire (``quick_check`` too) can be filled.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from fieldsurvey.demo import content
from fieldsurvey.demo.content import Organization
from fieldsurvey.errors import AnswerError
from fieldsurvey.forms import FormSession, ItemDef

SKIPPED_TYPES = {"note", "image", "audio", "video", "file", "calculate", "hidden"}


class StopFilling(Exception):
    """Raised inside the walk to leave a draft half answered."""


class InterviewFiller:
    """Fills one FormSession for one organization; ``fill()`` does the work."""

    def __init__(
        self,
        session: FormSession,
        rng: random.Random,
        org: Organization,
        *,
        researcher: str,
        interview_date: date,
        consent: bool = True,
        stop_after: int | None = None,
    ) -> None:
        self.session = session
        self.rng = rng
        self.org = org
        self.researcher = researcher
        self.day = interview_date
        self.consent = consent
        self.stop_after = stop_after
        self.answered = 0
        self.project_index = 0

    # -- the walk ----------------------------------------------------------------------
    def fill(self) -> int:
        """Answer the interview; returns how many answers were set."""
        root = self.session.definition.root
        try:
            self._children(root, f"/{root.name}")
        except StopFilling:
            pass
        return self.answered

    def _children(self, item: ItemDef, path: str) -> None:
        for child in item.children:
            child_path = f"{path}/{child.name}"
            if child.kind == "group":
                self._children(child, child_path)
            elif child.kind == "repeat":
                self._repeat(child, child_path)
            elif child.kind == "question" and child.type not in SKIPPED_TYPES:
                self._question(child, child_path)

    def _repeat(self, item: ItemDef, path: str) -> None:
        if self.session.repeat_count(path) == 0:
            self.session.add_repeat(path)
        first = _first_question(item)
        if first is None or not self.session.state(f"{path}[1]/{first}").relevant:
            return
        wanted = self.repeat_size(item)
        while self.session.repeat_count(path) < wanted:
            self.session.add_repeat(path)
        for index in range(1, wanted + 1):
            self.project_index = index
            self._children(item, f"{path}[{index}]")

    def _question(self, item: ItemDef, path: str) -> None:
        state = self.session.state(path)
        if not state.relevant or state.readonly:
            return
        if self.stop_after is not None and self.answered >= self.stop_after:
            raise StopFilling
        rule = getattr(self, f"answer_{item.name}", None)
        value = rule(item, path) if rule else self.generic(item, path)
        for _attempt in range(4):
            if value is None:
                break
            if self._try(path, value):
                self.answered += 1
                return
            value = self.generic(item, path)
        if self.session.state(path).value:
            self.session.set_answer(path, "")

    def _try(self, path: str, value) -> bool:
        try:
            self.session.set_answer(path, value)
        except AnswerError:
            return False
        return self.session.state(path).valid

    def repeat_size(self, item: ItemDef) -> int:
        if item.name == "project":
            return self.rng.choices((1, 2, 3, 4, 5), weights=(30, 28, 20, 12, 10))[0]
        return self.rng.randint(1, 3)

    # -- generic values by type ----------------------------------------------------------
    def generic(self, item: ItemDef, path: str):
        """A plausible value for any question of this type (None: leave it empty)."""
        rng = self.rng
        kind = item.type
        if kind in ("select_one", "rank", "select_multiple"):
            values = [c.value for c in self.session.choices(path)]
            if not values:
                return None
            if kind == "rank":
                rng.shuffle(values)
                return " ".join(values)
            if kind == "select_one":
                return rng.choice(values)
            plain = [v for v in values if v != "none"] or values
            return " ".join(rng.sample(plain, k=min(len(plain), rng.randint(1, 3))))
        if kind == "integer":
            return rng.randint(1, 30)
        if kind == "decimal":
            return round(rng.uniform(10, 500), 2)
        if kind == "range":
            start = int(float(item.parameters.get("start", 1)))
            end = int(float(item.parameters.get("end", 10)))
            return rng.randint(min(start, end), max(start, end))
        if kind == "date":
            return self.day
        if kind == "time":
            return time(rng.randint(9, 18), rng.choice((0, 15, 30, 45)))
        if kind == "dateTime":
            return datetime.combine(self.day + timedelta(days=rng.randint(7, 60)), time(10))
        if kind == "geopoint":
            return f"{rng.uniform(13.5, 32.5):.6f} {rng.uniform(-118.3, -83.0):.6f} 0 8"
        if kind == "barcode":
            return "".join(rng.choice("0123456789") for _ in range(12))
        if kind == "acknowledge":
            return "OK"
        if item.required or rng.random() < 0.5:
            return rng.choice(("Sin comentarios", "Ver registro de la organización", "N/D"))
        return None

    def _pick(self, path: str, weights: dict[str, float]):
        offered = {c.value for c in self.session.choices(path)}
        usable = {k: w for k, w in weights.items() if k in offered}
        return content.weighted(self.rng, usable) if usable else None

    def _several(self, path: str, weights: dict[str, float], low: int, high: int) -> str:
        chosen: list[str] = []
        pool = dict(weights)
        for _ in range(self.rng.randint(low, high)):
            if not pool:
                break
            value = content.weighted(self.rng, pool)
            chosen.append(value)
            pool.pop(value)
        return " ".join(chosen)

    # -- A to C: interview, consent, profile -------------------------------------------------
    def answer_researcher(self, item, path):
        return self.researcher

    def answer_interview_date(self, item, path):
        return self.day

    def answer_interview_mode(self, item, path):
        return self._pick(path, {"in_person": 6, "phone": 2, "video_call": 2})

    def answer_interview_place(self, item, path):
        return self.org.city

    def answer_respondent_role(self, item, path):
        return self._pick(path, {"president": 5, "board_member": 3, "coordinator": 2,
                                 "member": 1})  # fmt: skip

    def answer_consent(self, item, path):
        return "yes" if self.consent else "no"

    def answer_org_name(self, item, path):
        return self.org.name

    def answer_org_acronym(self, item, path):
        return self.org.acronym if self.rng.random() < 0.6 else None

    def answer_year_founded(self, item, path):
        return self.org.founded

    def answer_legal_status(self, item, path):
        age = self.day.year - self.org.founded
        if age > 8:
            return self._pick(path, {"registered_nonprofit": 7, "registered_other": 1,
                                     "informal": 2})  # fmt: skip
        return self._pick(path, {"registered_nonprofit": 3, "in_process": 3, "informal": 4})

    def answer_dest_country(self, item, path):
        return self.org.destination

    def answer_dest_region(self, item, path):
        return self.org.region

    def answer_dest_city(self, item, path):
        return self.org.city

    def answer_origin_countries(self, item, path):
        return " ".join(self.org.origins)

    def answer_origin_divisions(self, item, path):
        return " ".join(self.org.divisions) or None

    def answer_org_type(self, item, path):
        return self.org.org_type

    def answer_geographic_scope(self, item, path):
        if self.org.org_type == "federation":
            return self._pick(path, {"regional": 3, "national": 2, "international": 1})
        return self._pick(path, {"local": 6, "regional": 2, "national": 1})

    def answer_members_total(self, item, path):
        return self.org.members

    def answer_members_active(self, item, path):
        return max(1, int(self.org.members * self.rng.uniform(0.3, 0.9)))

    def answer_members_women(self, item, path):
        return int(self.org.members * self.rng.uniform(0.3, 0.65))

    def answer_leader_gender(self, item, path):
        return self._pick(path, {"man": 55, "woman": 38, "shared": 6, "other_identity": 1})

    def answer_leader_generation(self, item, path):
        return self._pick(path, {"first": 7, "mixed": 2, "second": 1})

    def answer_paid_staff(self, item, path):
        if self.org.org_type in ("ngo", "migrant_rights", "business"):
            return self.rng.randint(0, 12)
        return 0 if self.rng.random() < 0.8 else self.rng.randint(1, 3)

    def answer_funding_sources(self, item, path):
        return self._several(path, {"member_dues": 6, "events": 8, "private_donations": 5,
                                    "foundations": 2, "government_destination": 1,
                                    "government_origin": 1, "businesses": 2}, 1, 3)  # fmt: skip

    # -- D and E: activities and projects ----------------------------------------------------
    def answer_activities_destination(self, item, path):
        return self._several(path, {"cultural": 8, "education": 4, "legal_aid": 3, "health": 2,
                                    "advocacy": 3, "economic": 2, "sports": 3,
                                    "humanitarian": 3}, 1, 3)  # fmt: skip

    def answer_activities_origin(self, item, path):
        weights = {"collective_remittances": 4, "development_projects": 4, "humanitarian": 3,
                   "scholarships": 2, "productive_investment": 1, "cultural_heritage": 3,
                   "advocacy": 1}  # fmt: skip
        if self.org.org_type in ("hometown_association", "federation"):
            weights["collective_remittances"] = 12
            weights["development_projects"] = 9
        if self.org.org_type in ("student", "professional") and self.rng.random() < 0.3:
            return "none"
        return self._several(path, weights, 1, 3)

    def answer_remittance_amount(self, item, path):
        if self.rng.random() < 0.15:
            return None  # the respondent does not know
        return round(self.org.members * self.rng.uniform(20, 180), -2)

    def answer_has_projects(self, item, path):
        origin = self.session.state(_sibling(path, "activities_origin")).value.split()
        likely = "development_projects" in origin or "collective_remittances" in origin
        return "yes" if self.rng.random() < (0.85 if likely else 0.2) else "no"

    def _project_country(self) -> str:
        return self.org.origins[(self.project_index - 1) % len(self.org.origins)]

    def answer_project_name(self, item, path):
        sector = self.rng.choice(list(content.PROJECT_NAMES))
        self._sector = sector
        self._town = self._pick_town()
        return self.rng.choice(content.PROJECT_NAMES[sector]).format(town=self._town)

    def _pick_town(self) -> str:
        country = self._project_country()
        divisions = [d for d in self.org.divisions if d.startswith(f"{country}_")]
        self._division = self.rng.choice(divisions) if divisions else None
        if self._division and self._division in content.HOMETOWNS:
            return self.rng.choice(content.HOMETOWNS[self._division])
        return content.COUNTRY_NAMES[country]

    def answer_project_country(self, item, path):
        return self._project_country()

    def answer_project_division(self, item, path):
        return self._division or self.generic(item, path)

    def answer_project_municipality(self, item, path):
        return self._town

    def answer_project_sector(self, item, path):
        return self._sector

    def answer_project_year(self, item, path):
        return self.rng.randint(max(self.org.founded, self.day.year - 5), self.day.year)

    def answer_project_budget(self, item, path):
        if self.rng.random() < 0.08:
            return 0
        return round(self.rng.lognormvariate(9.5, 1.0), -2)

    def answer_project_currency(self, item, path):
        local = content.LOCAL_CURRENCY.get(self._project_country())
        weights = {"usd": 8, "cad": 1 if self.org.destination == "ca" else 0,
                   "eur": 3 if self.org.destination in ("es", "it") else 0}  # fmt: skip
        if local:
            weights[local] = 2
        return self._pick(path, {k: w for k, w in weights.items() if w})

    def answer_project_cofunding(self, item, path):
        return self._pick(path, {"yes": 4, "no": 5, "dont_know": 1})

    def answer_cofunding_sources(self, item, path):
        return self._several(path, {"municipal": 5, "state": 2, "national": 3,
                                    "international": 1, "private": 1}, 1, 2)  # fmt: skip

    def answer_project_beneficiaries(self, item, path):
        return int(self.rng.lognormvariate(6, 1.1))

    def answer_project_status(self, item, path):
        year = self.session.state(_sibling(path, "project_year")).value
        recent = year and int(year) >= self.day.year - 1
        return self._pick(path, {"ongoing": 6, "completed": 3, "suspended": 1} if recent
                          else {"completed": 8, "suspended": 1, "ongoing": 1})  # fmt: skip

    # -- F to H: governments, obstacles, contact -----------------------------------------------
    def answer_consulate_frequency(self, item, path):
        return self._pick(path, {"never": 2, "yearly_or_less": 3, "several_per_year": 4,
                                 "monthly": 2, "weekly": 1})  # fmt: skip

    def answer_origin_programs(self, item, path):
        if self.rng.random() < 0.35:
            return "none"
        return self._several(path, {"coinvestment": 3, "scholarships": 2, "registry": 3,
                                    "advisory_council": 2, "vote_abroad": 2, "investment": 1,
                                    "return": 1, "culture": 2}, 1, 3)  # fmt: skip

    def answer_destination_support(self, item, path):
        if self.rng.random() < 0.45:
            return "none"
        return self._several(path, {"grants": 2, "training": 3, "facilities": 3,
                                    "joint_events": 3}, 1, 2)  # fmt: skip

    def answer_obstacles(self, item, path):
        return self._several(path, {"funding": 9, "migratory_status": 4, "volunteer_time": 6,
                                    "distrust": 4, "insecurity": 3, "bureaucracy": 5,
                                    "information": 4, "generational": 4,
                                    "coordination": 2}, 1, 4)  # fmt: skip

    def answer_recommendations(self, item, path):
        return self.rng.choice(content.RECOMMENDATIONS) if self.rng.random() < 0.8 else None

    def answer_followup(self, item, path):
        return "yes" if self.rng.random() < 0.85 else "no"

    def answer_contact_name(self, item, path):
        return f"{self.rng.choice(content.CONTACT_ROLES)} – {self.org.acronym}"

    def answer_contact_email(self, item, path):
        if self.rng.random() < 0.15:
            return None
        user = self.rng.choice(("contacto", "info", "directiva", "proyectos"))
        return f"{user}@{content.ascii_fold(self.org.slug)}.example.org"

    def answer_contact_phone(self, item, path):
        if not self.session.state(path).required and self.rng.random() < 0.3:
            return None
        return f"{self.org.phone_prefix}{self.rng.randint(0, 99):02d}"

    def answer_contact_web(self, item, path):
        if self.rng.random() < 0.5:
            return None
        return f"https://www.{content.ascii_fold(self.org.slug)}.example.org"

    def answer_observations(self, item, path):
        return self.rng.choice(content.OBSERVATIONS) or None


def _first_question(item: ItemDef) -> str | None:
    """The relative path of the first leaf under a repeat, to read its relevance."""
    for child in item.children:
        if child.kind in ("question", "calculate"):
            return child.name
        if child.kind == "group":
            inner = _first_question(child)
            if inner:
                return f"{child.name}/{inner}"
    return None


def _sibling(path: str, name: str) -> str:
    return f"{path.rsplit('/', 1)[0]}/{name}"
