"""Plausible values for generated interviews of the diaspora organizations questionnaire.

Destinations, origins, hometowns and organization names follow the geography of the
Mexican and Central American diasporas. People are never named: researchers are numbered
and contacts are roles, e-mail domains are ``example.org`` and phone numbers use the
fictional 555 ranges where a country has them.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

#: (destination code, region, city, phone prefix, weight, origin weights)
DESTINATIONS: tuple[tuple, ...] = (
    ("us", "California", "Los Ángeles", "+1 213 555 01", 14, {"mx": 6, "sv": 4, "gt": 3, "hn": 1}),
    ("us", "Texas", "Houston", "+1 713 555 01", 10, {"mx": 5, "sv": 3, "hn": 3, "gt": 1}),
    ("us", "Illinois", "Chicago", "+1 312 555 01", 8, {"mx": 8, "gt": 2}),
    ("us", "Texas", "Dallas", "+1 214 555 01", 5, {"mx": 6, "sv": 2, "hn": 2}),
    ("us", "Nueva York", "Nueva York", "+1 212 555 01", 6, {"mx": 4, "hn": 2, "sv": 2, "pa": 1}),
    ("us", "Distrito de Columbia", "Washington D. C.", "+1 202 555 01", 4, {"sv": 6, "gt": 2}),
    ("us", "Florida", "Miami", "+1 305 555 01", 5, {"ni": 4, "hn": 4, "gt": 1, "cr": 1}),
    ("us", "California", "San Francisco", "+1 415 555 01", 3, {"ni": 3, "sv": 3, "mx": 3}),
    ("us", "Carolina del Norte", "Charlotte", "+1 704 555 01", 2, {"mx": 3, "hn": 2}),
    ("us", "Georgia", "Atlanta", "+1 404 555 01", 2, {"mx": 3, "gt": 2}),
    ("ca", "Ontario", "Toronto", "+1 416 555 01", 4, {"sv": 3, "mx": 2, "gt": 1, "hn": 1}),
    ("ca", "Quebec", "Montreal", "+1 514 555 01", 2, {"sv": 2, "mx": 2, "hn": 1}),
    ("es", "Comunidad de Madrid", "Madrid", "+34 91 555 0", 5, {"hn": 4, "ni": 3, "sv": 1}),
    ("es", "Cataluña", "Barcelona", "+34 93 555 0", 3, {"hn": 3, "ni": 2, "sv": 1}),
    ("it", "Lombardía", "Milán", "+39 02 555 0", 2, {"sv": 4, "ni": 1}),
    ("cr", "San José", "San José", "+506 2555 0", 3, {"ni": 6, "pa": 1}),
    ("mx", "Chiapas", "Tapachula", "+52 962 555 0", 2, {"gt": 4, "hn": 2, "sv": 1}),
    ("bz", "Cayo", "San Ignacio", "+501 555 0", 1, {"gt": 3, "sv": 2, "hn": 1}),
    ("pa", "Panamá", "Ciudad de Panamá", "+507 555 0", 1, {"ni": 3, "cr": 1, "sv": 1}),
)  # fmt: skip

#: Hometowns by division: the municipalities projects and clubs are named after.
HOMETOWNS: dict[str, tuple[str, ...]] = {
    "mx_zacatecas": ("Jerez", "Tlaltenango", "Nochistlán", "Jalpa", "Villanueva"),
    "mx_jalisco": ("Tepatitlán", "Arandas", "Teocaltiche", "Ameca", "Autlán"),
    "mx_michoacan": ("Zamora", "Cherán", "Tlazazalca", "Huandacareo", "Jiquilpan"),
    "mx_guanajuato": ("Dolores Hidalgo", "Moroleón", "Yuriria", "Acámbaro"),
    "mx_oaxaca": ("Tlacolula", "Juchitán", "Santa Ana del Valle", "Teotitlán del Valle"),
    "mx_puebla": ("Atlixco", "Chinantla", "Piaxtla", "Tehuacán"),
    "mx_guerrero": ("Iguala", "Teloloapan", "Tlapa"),
    "mx_durango": ("Gómez Palacio", "Santiago Papasquiaro"),
    "gt_huehuetenango": ("Soloma", "Jacaltenango", "Todos Santos Cuchumatán", "Barillas"),
    "gt_san_marcos": ("Comitancillo", "Tacaná", "San Pedro Sacatepéquez"),
    "gt_quetzaltenango": ("Cantel", "Almolonga", "Olintepeque"),
    "gt_quiche": ("Chichicastenango", "Nebaj", "Joyabaj"),
    "gt_jutiapa": ("Asunción Mita", "El Progreso", "Jalpatagua"),
    "sv_la_union": ("Santa Rosa de Lima", "Intipucá", "Pasaquina"),
    "sv_san_miguel": ("Chinameca", "Ciudad Barrios", "Sesori"),
    "sv_usulutan": ("Jucuapa", "Santiago de María", "Berlín"),
    "sv_chalatenango": ("Nueva Concepción", "La Palma", "Dulce Nombre de María"),
    "sv_morazan": ("Perquín", "Jocoaitique", "Corinto"),
    "sv_cabanas": ("Sensuntepeque", "Ilobasco"),
    "hn_olancho": ("Juticalpa", "Catacamas", "San Francisco de la Paz"),
    "hn_francisco_morazan": ("Valle de Ángeles", "Talanga", "Ojojona"),
    "hn_cortes": ("San Pedro Sula", "Choloma", "Villanueva"),
    "hn_yoro": ("El Progreso", "Olanchito", "Santa Rita"),
    "hn_santa_barbara": ("Quimistán", "Trinidad", "Macuelizo"),
    "hn_atlantida": ("La Ceiba", "Tela"),
    "ni_chinandega": ("El Viejo", "Chichigalpa", "Somotillo"),
    "ni_leon": ("Nagarote", "La Paz Centro", "Telica"),
    "ni_esteli": ("Condega", "Pueblo Nuevo", "La Trinidad"),
    "ni_matagalpa": ("Sébaco", "San Ramón", "Matiguás"),
    "ni_managua": ("Tipitapa", "San Rafael del Sur"),
    "cr_san_jose": ("Desamparados", "Pérez Zeledón"),
    "cr_puntarenas": ("Buenos Aires", "Golfito"),
    "pa_chiriqui": ("David", "Boquete", "Bugaba"),
    "pa_cocle": ("Penonomé", "Aguadulce"),
    "bz_toledo": ("Punta Gorda", "San Antonio"),
    "bz_cayo": ("Benque Viejo del Carmen", "San Ignacio"),
}

#: Plural gentilic of each country of origin, for organization names.
GENTILICS = {
    "mx": "Mexicanos", "gt": "Guatemaltecos", "sv": "Salvadoreños", "hn": "Hondureños",
    "ni": "Nicaragüenses", "cr": "Costarricenses", "pa": "Panameños", "bz": "Beliceños",
}  # fmt: skip
COUNTRY_NAMES = {
    "mx": "México", "gt": "Guatemala", "sv": "El Salvador", "hn": "Honduras",
    "ni": "Nicaragua", "cr": "Costa Rica", "pa": "Panamá", "bz": "Belice",
}  # fmt: skip
LOCAL_CURRENCY = {"mx": "mxn", "gt": "gtq", "hn": "hnl", "ni": "nio", "cr": "crc", "bz": "bzd"}

ORG_TYPES = {
    "hometown_association": 34, "federation": 8, "ngo": 14, "business": 6,
    "professional": 7, "cultural": 12, "faith_based": 7, "migrant_rights": 8, "student": 4,
}  # fmt: skip

PROJECT_NAMES = {
    "education": ("Rehabilitación de la escuela de {town}", "Becas escolares para {town}",
                  "Biblioteca comunitaria de {town}"),
    "health": ("Equipamiento del centro de salud de {town}", "Ambulancia para {town}",
               "Jornadas médicas en {town}"),
    "water_sanitation": ("Sistema de agua potable de {town}", "Pozo comunitario de {town}",
                         "Drenaje del barrio central de {town}"),
    "roads": ("Pavimentación del camino a {town}", "Puente peatonal de {town}",
              "Alumbrado público de {town}"),
    "housing": ("Vivienda para familias afectadas en {town}",),
    "productive": ("Cooperativa de café de {town}", "Invernaderos comunitarios de {town}",
                   "Fondo de microcréditos de {town}"),
    "culture_sports": ("Cancha de usos múltiples de {town}", "Casa de la cultura de {town}",
                       "Fiestas patronales de {town}"),
    "religious": ("Restauración del templo de {town}", "Capilla del cementerio de {town}"),
    "emergency": ("Ayuda tras las lluvias en {town}", "Víveres para familias de {town}"),
}  # fmt: skip

RECOMMENDATIONS = (
    "Simplificar los trámites para registrar proyectos comunitarios.",
    "Que los consulados informen con tiempo sobre los programas y convocatorias.",
    "Crear un fondo de coinversión estable, que no dependa de cada gobierno.",
    "Incluir a las organizaciones en la planificación municipal de las obras.",
    "Reconocer a la diáspora como socia, no solo como fuente de remesas.",
    "Abrir espacios de diálogo permanentes con participación de jóvenes.",
    "Dar seguimiento y rendir cuentas de los proyectos cofinanciados.",
    "Facilitar el voto en el exterior y la obtención de documentos.",
    "Apoyar la formación de liderazgos y la gestión de proyectos.",
)
OBSERVATIONS = (
    "La entrevista se hizo en la sede durante una reunión de la directiva.",
    "La persona entrevistada consultó registros de la organización para las cifras.",
    "Hubo interrupciones; algunas cifras son aproximadas.",
    "La organización ofreció compartir su informe anual.",
    "",
    "",
    "",
)
CONTACT_ROLES = ("Presidencia", "Secretaría", "Coordinación general", "Tesorería",
                 "Comité de proyectos")  # fmt: skip


@dataclass
class Organization:
    """One generated organization: the facts its interview's answers must agree on."""

    name: str
    acronym: str
    org_type: str
    founded: int
    destination: str
    region: str
    city: str
    phone_prefix: str
    origins: list[str]
    divisions: list[str]
    members: int

    @property
    def slug(self) -> str:
        return self.acronym.lower() or "org"


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    """One key of ``weights``, drawn with those weights."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def ascii_fold(text: str) -> str:
    """``text`` without accents (for acronyms, e-mail addresses and web names)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _acronym(name: str) -> str:
    skip = {"de", "del", "la", "las", "los", "y", "en", "por", "el", "para"}
    words = ascii_fold(name).replace("-", " ").replace(".", " ").split()
    return "".join(word[0] for word in words if word.lower() not in skip)


def _organization_name(rng: random.Random, org_type: str, origin: str, town: str, city: str,
                       destination_name: str) -> str:  # fmt: skip
    gentilic = GENTILICS[origin]
    feminine = gentilic[:-2] + "as" if gentilic.endswith("os") else gentilic
    patterns = {
        "hometown_association": (f"Club {town}", f"Club Social {town} de {city}",
                                 f"Asociación de Oriundos de {town}", f"Hijos de {town} en {city}"),
        "federation": (f"Federación de Clubes {gentilic} de {city}",
                       f"Federación de Asociaciones {feminine} en {destination_name}"),
        "ngo": (f"Fundación {COUNTRY_NAMES[origin]} Solidaria",
                f"Red {feminine[:-1]} por el Desarrollo de {town}",
                f"Alianza {feminine[:-1]} para el Desarrollo"),
        "business": (f"Cámara de Comercio {feminine[:-1]} de {city}",
                     f"Asociación de Empresarios {gentilic} de {city}"),
        "professional": (f"Red de Profesionales {gentilic} en {destination_name}",
                         f"Red de Investigadores {gentilic} en el Exterior"),
        "cultural": (f"Ballet Folclórico {town}", f"Grupo Cultural Raíces de {town}",
                     f"Casa de la Cultura {feminine[:-1]} de {city}"),
        "faith_based": (f"Hermandad de {town} en {city}", f"Pastoral {feminine[:-1]} de {city}"),
        "migrant_rights": (f"Centro de Derechos de Migrantes {gentilic} de {city}",
                           f"Coalición {feminine[:-1]} por los Derechos de los Migrantes"),
        "student": (f"Asociación de Estudiantes {gentilic} de {city}",),
    }
    return rng.choice(patterns[org_type])


def make_organization(rng: random.Random, interview_year: int) -> Organization:
    """A coherent organization: destination, origins, hometown, type, name and size."""
    place = rng.choices(DESTINATIONS, weights=[d[4] for d in DESTINATIONS], k=1)[0]
    destination, region, city, phone_prefix, _weight, origin_weights = place
    main = weighted(rng, origin_weights)
    origins = [main]
    org_type = weighted(rng, ORG_TYPES)
    if org_type in ("federation", "professional", "migrant_rights", "ngo") and rng.random() < 0.4:
        others = [code for code in origin_weights if code != main]
        if others:
            origins.append(rng.choice(others))
    divisions = []
    for origin in origins:
        known = [d for d in HOMETOWNS if d.startswith(f"{origin}_")]
        if known:
            divisions.extend(rng.sample(known, k=min(len(known), rng.choice((1, 1, 2)))))
    town = rng.choice(HOMETOWNS[divisions[0]]) if divisions else COUNTRY_NAMES[main]
    destination_names = {"us": "Estados Unidos", "ca": "Canadá", "es": "España", "it": "Italia",
                         "cr": "Costa Rica", "mx": "México", "bz": "Belice", "pa": "Panamá"}
    name = _organization_name(rng, org_type, main, town, city, destination_names[destination])
    founded = interview_year - min(45, int(rng.expovariate(1 / 12)) + 1)
    members = max(5, min(5000, int(rng.lognormvariate(3.8, 0.9))))
    if org_type == "federation":
        members *= 4
    return Organization(name=name, acronym=_acronym(name).upper(), org_type=org_type,
                        founded=founded, destination=destination, region=region, city=city,
                        phone_prefix=phone_prefix, origins=origins, divisions=divisions,
                        members=members)  # fmt: skip

#: Standard-time UTC offsets (hours) of the destination cities, for interview timestamps.
UTC_OFFSETS = {
    "Los Ángeles": -8, "San Francisco": -8, "Houston": -6, "Dallas": -6, "Chicago": -6,
    "Nueva York": -5, "Washington D. C.": -5, "Miami": -5, "Charlotte": -5, "Atlanta": -5,
    "Toronto": -5, "Montreal": -5, "Madrid": 1, "Barcelona": 1, "Milán": 1, "San José": -6,
    "Tapachula": -6, "San Ignacio": -6, "Ciudad de Panamá": -5,
}  # fmt: skip
