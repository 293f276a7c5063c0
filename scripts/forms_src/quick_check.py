"""``quick_check``: a short form with every question type once, for trying the app and tests."""

from __future__ import annotations

from .languages import DEFAULT_LANGUAGE, T
from .workbook import FormSpec, choice_list, q

VERSION = "2026112702"

SURVEY = [
    q("start", "start"),
    q("end", "end"),
    q("note", "intro", T(
        "Este formulario muestra cada tipo de pregunta una vez. Sirve para probar la aplicación.",
        "This form shows each question type once. Use it to try the application.",
        "Ce formulaire présente chaque type de question une fois. Il sert à essayer l'application.",
        "Este formulário mostra cada tipo de pergunta uma vez. Serve para experimentar o aplicativo.",
        "Questo modulo mostra ogni tipo di domanda una volta. Serve a provare l'applicazione.",
        "В этой форме каждый тип вопроса встречается один раз. Она нужна, чтобы опробовать приложение.",
    )),
    q("text", "respondent_name", T(
        "Nombre de la persona entrevistada",
        "Name of the respondent",
        "Nom de la personne interrogée",
        "Nome da pessoa entrevistada",
        "Nome della persona intervistata",
        "Имя респондента",
    ), T(
        "Pregunta de texto obligatoria.",
        "A required text question.",
        "Question de texte obligatoire.",
        "Pergunta de texto obrigatória.",
        "Domanda di testo obbligatoria.",
        "Обязательный текстовый вопрос.",
    ), required=True),
    q("begin_group", "household", T(
        "Hogar (todo en una pantalla)",
        "Household (all on one screen)",
        "Ménage (tout sur un écran)",
        "Domicílio (tudo em uma tela)",
        "Nucleo familiare (tutto in una schermata)",
        "Домохозяйство (всё на одном экране)",
    ), appearance="field-list"),
    q("integer", "age", T(
        "Edad (años cumplidos)",
        "Age (completed years)",
        "Âge (années révolues)",
        "Idade (anos completos)",
        "Età (anni compiuti)",
        "Возраст (полных лет)",
    ), constraint=". >= 0 and . <= 120", constraint_message=T(
        "La edad debe estar entre 0 y 120 años.",
        "Age must be between 0 and 120 years.",
        "L'âge doit être compris entre 0 et 120 ans.",
        "A idade deve estar entre 0 e 120 anos.",
        "L'età deve essere compresa tra 0 e 120 anni.",
        "Возраст должен быть от 0 до 120 лет.",
    )),
    q("decimal", "remittance", T(
        "Monto enviado el último mes (USD)",
        "Amount sent last month (USD)",
        "Montant envoyé le mois dernier (USD)",
        "Valor enviado no último mês (USD)",
        "Importo inviato il mese scorso (USD)",
        "Сумма, отправленная в прошлом месяце (долл. США)",
    )),
    q("range", "satisfaction", T(
        "Satisfacción con los servicios consulares (0 a 10)",
        "Satisfaction with consular services (0 to 10)",
        "Satisfaction à l'égard des services consulaires (0 à 10)",
        "Satisfação com os serviços consulares (0 a 10)",
        "Soddisfazione per i servizi consolari (da 0 a 10)",
        "Удовлетворённость консульскими услугами (от 0 до 10)",
    ), parameters="start=0 end=10 step=1"),
    q("end_group"),
    q("select_one country", "country", T(
        "País de origen",
        "Country of origin",
        "Pays d'origine",
        "País de origem",
        "Paese di origine",
        "Страна происхождения",
    )),
    q("select_multiple language", "languages", T(
        "Idiomas que habla",
        "Languages spoken",
        "Langues parlées",
        "Idiomas que fala",
        "Lingue parlate",
        "Языки, которыми владеет",
    )),
    q("select_one mode", "mode", T(
        "Modalidad (lista desplegable)",
        "Mode (drop-down list)",
        "Mode (liste déroulante)",
        "Modalidade (lista suspensa)",
        "Modalità (menu a tendina)",
        "Способ (раскрывающийся список)",
    ), appearance="minimal"),
    q("select_one city", "city", T(
        "Ciudad de residencia (escriba para buscar)",
        "City of residence (type to search)",
        "Ville de résidence (tapez pour chercher)",
        "Cidade de residência (digite para buscar)",
        "Città di residenza (digitare per cercare)",
        "Город проживания (начните вводить для поиска)",
    ), appearance="autocomplete"),
    q("rank priority", "priorities", T(
        "Ordene las prioridades de la organización",
        "Rank the organization's priorities",
        "Classez les priorités de l'organisation",
        "Ordene as prioridades da organização",
        "Ordina le priorità dell'organizzazione",
        "Расположите приоритеты организации по важности",
    )),
    q("calculate", "age_months", calculation="${age} * 12"),
    q("note", "age_note", T(
        "Edad en meses: ${age_months}",
        "Age in months: ${age_months}",
        "Âge en mois : ${age_months}",
        "Idade em meses: ${age_months}",
        "Età in mesi: ${age_months}",
        "Возраст в месяцах: ${age_months}",
    ), relevant="${age} != ''"),
    q("date", "visit_date", T(
        "Fecha de la visita", "Date of the visit", "Date de la visite",
        "Data da visita", "Data della visita", "Дата визита",
    )),
    q("time", "visit_time", T(
        "Hora de la visita", "Time of the visit", "Heure de la visite",
        "Hora da visita", "Ora della visita", "Время визита",
    )),
    q("dateTime", "next_contact", T(
        "Fecha y hora del próximo contacto",
        "Date and time of the next contact",
        "Date et heure du prochain contact",
        "Data e hora do próximo contato",
        "Data e ora del prossimo contatto",
        "Дата и время следующего контакта",
    )),
    q("geopoint", "location", T(
        "Ubicación de la sede", "Location of the office", "Emplacement du siège",
        "Localização da sede", "Posizione della sede", "Местоположение офиса",
    )),
    q("image", "photo", T(
        "Foto de la actividad", "Photo of the activity", "Photo de l'activité",
        "Foto da atividade", "Foto dell'attività", "Фотография мероприятия",
    ), parameters="max-pixels=1024"),
    q("file", "document", T(
        "Documento de la organización (PDF)",
        "Document of the organization (PDF)",
        "Document de l'organisation (PDF)",
        "Documento da organização (PDF)",
        "Documento dell'organizzazione (PDF)",
        "Документ организации (PDF)",
    )),
    q("barcode", "code", T(
        "Código de barras del material", "Barcode of the material",
        "Code-barres du matériel", "Código de barras do material",
        "Codice a barre del materiale", "Штрихкод материала",
    )),
    q("acknowledge", "agree", T(
        "Confirmo que la información es correcta",
        "I confirm that the information is correct",
        "Je confirme que les informations sont exactes",
        "Confirmo que as informações estão corretas",
        "Confermo che le informazioni sono corrette",
        "Подтверждаю, что сведения верны",
    )),
    q("begin_repeat", "member", T(
        "Miembro", "Member", "Membre", "Membro", "Membro", "Участник",
    )),
    q("text", "member_name", T(
        "Nombre del miembro", "Member's name", "Nom du membre",
        "Nome do membro", "Nome del membro", "Имя участника",
    )),
    q("end_repeat"),
]

CHOICES = [
    *choice_list("country", [
        ("mx", T("México", "Mexico", "Mexique", "México", "Messico", "Мексика")),
        ("gt", T("Guatemala", "Guatemala", "Guatemala", "Guatemala", "Guatemala", "Гватемала")),
        ("sv", T("El Salvador", "El Salvador", "Salvador", "El Salvador", "El Salvador",
                 "Сальвадор")),
        ("hn", T("Honduras", "Honduras", "Honduras", "Honduras", "Honduras", "Гондурас")),
    ]),
    *choice_list("language", [
        ("spanish", T("Español", "Spanish", "Espagnol", "Espanhol", "Spagnolo", "Испанский")),
        ("english", T("Inglés", "English", "Anglais", "Inglês", "Inglese", "Английский")),
        ("kiche", T("K'iche'", "K'iche'", "K'iche'", "K'iche'", "K'iche'", "Киче")),
        ("garifuna", T("Garífuna", "Garifuna", "Garifuna", "Garífuna", "Garifuna",
                       "Гарифуна")),
    ]),
    *choice_list("mode", [
        ("in_person", T("Presencial", "In person", "En personne", "Presencial", "Di persona",
                        "Лично")),
        ("phone", T("Por teléfono", "By phone", "Par téléphone", "Por telefone", "Per telefono",
                    "По телефону")),
        ("video", T("Videollamada", "Video call", "Visioconférence", "Videochamada",
                    "Videochiamata", "Видеозвонок")),
    ]),
    *choice_list("city", [
        ("los_angeles", T("Los Ángeles", "Los Angeles", "Los Angeles", "Los Angeles",
                          "Los Angeles", "Лос-Анджелес")),
        ("houston", T("Houston", "Houston", "Houston", "Houston", "Houston", "Хьюстон")),
        ("chicago", T("Chicago", "Chicago", "Chicago", "Chicago", "Chicago", "Чикаго")),
        ("madrid", T("Madrid", "Madrid", "Madrid", "Madri", "Madrid", "Мадрид")),
        ("toronto", T("Toronto", "Toronto", "Toronto", "Toronto", "Toronto", "Торонто")),
    ]),
    *choice_list("priority", [
        ("education", T("Educación", "Education", "Éducation", "Educação", "Istruzione",
                        "Образование")),
        ("health", T("Salud", "Health", "Santé", "Saúde", "Salute", "Здравоохранение")),
        ("culture", T("Cultura", "Culture", "Culture", "Cultura", "Cultura", "Культура")),
    ]),
]  # fmt: skip

SPEC = FormSpec(
    settings={
        "form_title": "Prueba rápida: todos los tipos de pregunta",
        "form_id": "quick_check",
        "version": VERSION,
        "instance_name": (
            "concat(${respondent_name}, "
            "if(${respondent_name} != '' and ${visit_date} != '', ' · ', ''), ${visit_date})"
        ),
        "default_language": DEFAULT_LANGUAGE,
    },
    survey=SURVEY,
    choices=CHOICES,
)
