"""Countries of origin of the study and their first-level divisions, for cascading lists.

Mexico's 32 federal entities, Guatemala's 22 departments, El Salvador's 14, Honduras' 18,
Nicaragua's 15 departments and 2 autonomous regions, Costa Rica's 7 provinces, Panama's 10
provinces and its indigenous comarcas, and Belize's 6 districts. Place names keep their
official Spanish (or, in Belize, English) form in every Latin-script language unless a
language has its own established name; Russian uses the usual Cyrillic transcription.
"""

from __future__ import annotations

from .languages import CODES, T

COUNTRIES = {
    "mx": T("México", "Mexico", "Mexique", "México", "Messico", "Мексика"),
    "gt": T("Guatemala", "Guatemala", "Guatemala", "Guatemala", "Guatemala", "Гватемала"),
    "sv": T("El Salvador", "El Salvador", "Salvador", "El Salvador", "El Salvador", "Сальвадор"),
    "hn": T("Honduras", "Honduras", "Honduras", "Honduras", "Honduras", "Гондурас"),
    "ni": T("Nicaragua", "Nicaragua", "Nicaragua", "Nicarágua", "Nicaragua", "Никарагуа"),
    "cr": T("Costa Rica", "Costa Rica", "Costa Rica", "Costa Rica", "Costa Rica", "Коста-Рика"),
    "pa": T("Panamá", "Panama", "Panama", "Panamá", "Panama", "Панама"),
    "bz": T("Belice", "Belize", "Belize", "Belize", "Belize", "Белиз"),
}

# (slug, Spanish name, Russian name, {other languages that name it differently})
_DIVISIONS: dict[str, list[tuple]] = {
    "mx": [
        ("aguascalientes", "Aguascalientes", "Агуаскальентес"),
        ("baja_california", "Baja California", "Нижняя Калифорния",
         {"fr": "Basse-Californie", "pt": "Baixa Califórnia", "it": "Bassa California"}),
        ("baja_california_sur", "Baja California Sur", "Южная Нижняя Калифорния",
         {"fr": "Basse-Californie du Sud", "pt": "Baixa Califórnia do Sul",
          "it": "Bassa California del Sud"}),
        ("campeche", "Campeche", "Кампече"),
        ("chiapas", "Chiapas", "Чьяпас"),
        ("chihuahua", "Chihuahua", "Чиуауа"),
        ("ciudad_de_mexico", "Ciudad de México", "Мехико",
         {"en": "Mexico City", "fr": "Mexico", "pt": "Cidade do México",
          "it": "Città del Messico"}),
        ("coahuila", "Coahuila", "Коауила"),
        ("colima", "Colima", "Колима"),
        ("durango", "Durango", "Дуранго"),
        ("guanajuato", "Guanajuato", "Гуанахуато"),
        ("guerrero", "Guerrero", "Герреро"),
        ("hidalgo", "Hidalgo", "Идальго"),
        ("jalisco", "Jalisco", "Халиско"),
        ("estado_de_mexico", "Estado de México", "Штат Мехико",
         {"en": "State of Mexico", "fr": "État de Mexico", "pt": "Estado do México",
          "it": "Stato del Messico"}),
        ("michoacan", "Michoacán", "Мичоакан"),
        ("morelos", "Morelos", "Морелос"),
        ("nayarit", "Nayarit", "Наярит"),
        ("nuevo_leon", "Nuevo León", "Нуэво-Леон"),
        ("oaxaca", "Oaxaca", "Оахака"),
        ("puebla", "Puebla", "Пуэбла"),
        ("queretaro", "Querétaro", "Керетаро"),
        ("quintana_roo", "Quintana Roo", "Кинтана-Роо"),
        ("san_luis_potosi", "San Luis Potosí", "Сан-Луис-Потоси"),
        ("sinaloa", "Sinaloa", "Синалоа"),
        ("sonora", "Sonora", "Сонора"),
        ("tabasco", "Tabasco", "Табаско"),
        ("tamaulipas", "Tamaulipas", "Тамаулипас"),
        ("tlaxcala", "Tlaxcala", "Тласкала"),
        ("veracruz", "Veracruz", "Веракрус"),
        ("yucatan", "Yucatán", "Юкатан"),
        ("zacatecas", "Zacatecas", "Сакатекас"),
    ],
    "gt": [
        ("alta_verapaz", "Alta Verapaz", "Альта-Верапас"),
        ("baja_verapaz", "Baja Verapaz", "Баха-Верапас"),
        ("chimaltenango", "Chimaltenango", "Чимальтенанго"),
        ("chiquimula", "Chiquimula", "Чикимула"),
        ("el_progreso", "El Progreso", "Эль-Прогресо"),
        ("escuintla", "Escuintla", "Эскуинтла"),
        ("guatemala", "Guatemala", "Гватемала"),
        ("huehuetenango", "Huehuetenango", "Уэуэтенанго"),
        ("izabal", "Izabal", "Исабаль"),
        ("jalapa", "Jalapa", "Халапа"),
        ("jutiapa", "Jutiapa", "Хутьяпа"),
        ("peten", "Petén", "Петен"),
        ("quetzaltenango", "Quetzaltenango", "Кесальтенанго"),
        ("quiche", "Quiché", "Киче"),
        ("retalhuleu", "Retalhuleu", "Реталулеу"),
        ("sacatepequez", "Sacatepéquez", "Сакатепекес"),
        ("san_marcos", "San Marcos", "Сан-Маркос"),
        ("santa_rosa", "Santa Rosa", "Санта-Роса"),
        ("solola", "Sololá", "Солола"),
        ("suchitepequez", "Suchitepéquez", "Сучитепекес"),
        ("totonicapan", "Totonicapán", "Тотоникапан"),
        ("zacapa", "Zacapa", "Сакапа"),
    ],
    "sv": [
        ("ahuachapan", "Ahuachapán", "Ауачапан"),
        ("cabanas", "Cabañas", "Кабаньяс"),
        ("chalatenango", "Chalatenango", "Чалатенанго"),
        ("cuscatlan", "Cuscatlán", "Кускатлан"),
        ("la_libertad", "La Libertad", "Ла-Либертад"),
        ("la_paz", "La Paz", "Ла-Пас"),
        ("la_union", "La Unión", "Ла-Унион"),
        ("morazan", "Morazán", "Морасан"),
        ("san_miguel", "San Miguel", "Сан-Мигель"),
        ("san_salvador", "San Salvador", "Сан-Сальвадор"),
        ("san_vicente", "San Vicente", "Сан-Висенте"),
        ("santa_ana", "Santa Ana", "Санта-Ана"),
        ("sonsonate", "Sonsonate", "Сонсонате"),
        ("usulutan", "Usulután", "Усулутан"),
    ],
    "hn": [
        ("atlantida", "Atlántida", "Атлантида"),
        ("choluteca", "Choluteca", "Чолутека"),
        ("colon", "Colón", "Колон"),
        ("comayagua", "Comayagua", "Комаягуа"),
        ("copan", "Copán", "Копан"),
        ("cortes", "Cortés", "Кортес"),
        ("el_paraiso", "El Paraíso", "Эль-Параисо"),
        ("francisco_morazan", "Francisco Morazán", "Франсиско-Морасан"),
        ("gracias_a_dios", "Gracias a Dios", "Грасьяс-а-Дьос"),
        ("intibuca", "Intibucá", "Интибука"),
        ("islas_de_la_bahia", "Islas de la Bahía", "Ислас-де-ла-Баия",
         {"en": "Bay Islands", "fr": "Îles de la Baie", "pt": "Ilhas da Baía",
          "it": "Isole della Baia"}),
        ("la_paz", "La Paz", "Ла-Пас"),
        ("lempira", "Lempira", "Лемпира"),
        ("ocotepeque", "Ocotepeque", "Окотепеке"),
        ("olancho", "Olancho", "Оланчо"),
        ("santa_barbara", "Santa Bárbara", "Санта-Барбара"),
        ("valle", "Valle", "Валье"),
        ("yoro", "Yoro", "Йоро"),
    ],
    "ni": [
        ("boaco", "Boaco", "Боако"),
        ("carazo", "Carazo", "Карасо"),
        ("chinandega", "Chinandega", "Чинандега"),
        ("chontales", "Chontales", "Чонталес"),
        ("esteli", "Estelí", "Эстели"),
        ("granada", "Granada", "Гранада"),
        ("jinotega", "Jinotega", "Хинотега"),
        ("leon", "León", "Леон"),
        ("madriz", "Madriz", "Мадрис"),
        ("managua", "Managua", "Манагуа"),
        ("masaya", "Masaya", "Масая"),
        ("matagalpa", "Matagalpa", "Матагальпа"),
        ("nueva_segovia", "Nueva Segovia", "Нуэва-Сеговия"),
        ("rio_san_juan", "Río San Juan", "Рио-Сан-Хуан"),
        ("rivas", "Rivas", "Ривас"),
        ("costa_caribe_norte", "Región Autónoma de la Costa Caribe Norte",
         "Автономный регион Северное Карибское побережье",
         {"en": "North Caribbean Coast Autonomous Region",
          "fr": "Région autonome de la Côte caraïbe Nord",
          "pt": "Região Autônoma da Costa Caribe Norte",
          "it": "Regione autonoma della Costa caraibica settentrionale"}),
        ("costa_caribe_sur", "Región Autónoma de la Costa Caribe Sur",
         "Автономный регион Южное Карибское побережье",
         {"en": "South Caribbean Coast Autonomous Region",
          "fr": "Région autonome de la Côte caraïbe Sud",
          "pt": "Região Autônoma da Costa Caribe Sul",
          "it": "Regione autonoma della Costa caraibica meridionale"}),
    ],
    "cr": [
        ("san_jose", "San José", "Сан-Хосе"),
        ("alajuela", "Alajuela", "Алахуэла"),
        ("cartago", "Cartago", "Картаго"),
        ("heredia", "Heredia", "Эредия"),
        ("guanacaste", "Guanacaste", "Гуанакасте"),
        ("puntarenas", "Puntarenas", "Пунтаренас"),
        ("limon", "Limón", "Лимон"),
    ],
    "pa": [
        ("bocas_del_toro", "Bocas del Toro", "Бокас-дель-Торо"),
        ("cocle", "Coclé", "Кокле"),
        ("colon", "Colón", "Колон"),
        ("chiriqui", "Chiriquí", "Чирики"),
        ("darien", "Darién", "Дарьен"),
        ("herrera", "Herrera", "Эррера"),
        ("los_santos", "Los Santos", "Лос-Сантос"),
        ("panama", "Panamá", "Панама"),
        ("panama_oeste", "Panamá Oeste", "Западная Панама",
         {"en": "Panamá Oeste (West Panama)", "fr": "Panama Ouest", "it": "Panamá Ovest"}),
        ("veraguas", "Veraguas", "Верагуас"),
        ("guna_yala", "Comarca Guna Yala", "Комарка Гуна-Яла",
         {"en": "Guna Yala Comarca", "fr": "Comarque Guna Yala"}),
        ("embera_wounaan", "Comarca Emberá-Wounaan", "Комарка Эмбера-Воунаан",
         {"en": "Emberá-Wounaan Comarca", "fr": "Comarque Emberá-Wounaan"}),
        ("ngabe_bugle", "Comarca Ngäbe-Buglé", "Комарка Нгабе-Бугле",
         {"en": "Ngäbe-Buglé Comarca", "fr": "Comarque Ngäbe-Buglé"}),
        ("naso_tjer_di", "Comarca Naso Tjër Di", "Комарка Насо-Тьер-Ди",
         {"en": "Naso Tjër Di Comarca", "fr": "Comarque Naso Tjër Di"}),
        ("guna_madungandi", "Comarca Guna de Madungandí", "Комарка Гуна-де-Мадунганди",
         {"en": "Guna de Madungandí Comarca", "fr": "Comarque Guna de Madungandí"}),
        ("guna_wargandi", "Comarca Guna de Wargandí", "Комарка Гуна-де-Варганди",
         {"en": "Guna de Wargandí Comarca", "fr": "Comarque Guna de Wargandí"}),
    ],
    "bz": [
        ("belize", "Belice", "Белиз", {"en": "Belize", "fr": "Belize", "pt": "Belize",
                                       "it": "Belize"}),
        ("cayo", "Cayo", "Кайо"),
        ("corozal", "Corozal", "Коросаль"),
        ("orange_walk", "Orange Walk", "Ориндж-Уок"),
        ("stann_creek", "Stann Creek", "Станн-Крик"),
        ("toledo", "Toledo", "Толедо"),
    ],
}  # fmt: skip

#: How many first-level divisions each country has (checked by the tests).
DIVISION_COUNTS = {country: len(rows) for country, rows in _DIVISIONS.items()}


def _names(spanish: str, russian: str, others: dict[str, str]) -> dict[str, str]:
    names = {code: others.get(code, spanish) for code in CODES}
    names["ru"] = russian
    return names


def country_choices() -> list[tuple]:
    """``(name, labels)`` of the eight countries of origin."""
    return list(COUNTRIES.items())


def division_choices() -> list[tuple]:
    """``(name, labels, {"country": code})`` of every division, for a cascading select.

    Names that occur in two countries (La Paz, Colón) carry the country in brackets so
    that a list filtered on several countries stays unambiguous.
    """
    seen: dict[str, int] = {}
    for rows in _DIVISIONS.values():
        for row in rows:
            seen[row[1]] = seen.get(row[1], 0) + 1
    choices = []
    for country, rows in _DIVISIONS.items():
        for slug, spanish, russian, *rest in rows:
            labels = _names(spanish, russian, rest[0] if rest else {})
            if seen[spanish] > 1:
                labels = {
                    code: f"{text} ({COUNTRIES[country][code]})" for code, text in labels.items()
                }
            choices.append((f"{country}_{slug}", labels, {"country": country}))
    return choices
