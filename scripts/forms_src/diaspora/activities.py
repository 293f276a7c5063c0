"""Sections D and E: activities in the destination and the origin, and the projects repeat."""

from __future__ import annotations

from ..languages import T
from ..workbook import q
from .opening import ALL_THAT_APPLY, CONSENTED, NONE_ALONE, NONE_ALONE_RULE, SPECIFY, THIS_YEAR

NOT_NEGATIVE = T(
    "El valor no puede ser negativo.",
    "The value cannot be negative.",
    "La valeur ne peut pas être négative.",
    "O valor não pode ser negativo.",
    "Il valore non può essere negativo.",
    "Значение не может быть отрицательным.",
)

ACTIVITIES = [
    q("begin_group", "activities", T(
        "D. Actividades de la organización",
        "D. Activities of the organization",
        "D. Activités de l'organisation",
        "D. Atividades da organização",
        "D. Attività dell'organizzazione",
        "D. Деятельность организации",
    ), relevant=CONSENTED),
    q("select_multiple activity_destination", "activities_destination", T(
        "En los últimos dos años, ¿qué actividades realizó la organización en el país de "
        "destino?",
        "In the last two years, what activities did the organization carry out in the "
        "country of destination?",
        "Au cours des deux dernières années, quelles activités l'organisation a-t-elle "
        "menées dans le pays de destination ?",
        "Nos últimos dois anos, que atividades a organização realizou no país de destino?",
        "Negli ultimi due anni, quali attività ha svolto l'organizzazione nel paese di "
        "destinazione?",
        "Какую деятельность организация вела в стране назначения за последние два года?",
    ), ALL_THAT_APPLY, required=True, constraint=NONE_ALONE_RULE,
      constraint_message=NONE_ALONE),
    q("select_multiple activity_origin", "activities_origin", T(
        "En los últimos dos años, ¿qué actividades realizó o apoyó la organización en el "
        "país de origen?",
        "In the last two years, what activities did the organization carry out or support "
        "in the country of origin?",
        "Au cours des deux dernières années, quelles activités l'organisation a-t-elle "
        "menées ou soutenues dans le pays d'origine ?",
        "Nos últimos dois anos, que atividades a organização realizou ou apoiou no país de "
        "origem?",
        "Negli ultimi due anni, quali attività ha svolto o sostenuto l'organizzazione nel "
        "paese di origine?",
        "Какую деятельность организация вела или поддерживала в стране происхождения за "
        "последние два года?",
    ), ALL_THAT_APPLY, required=True, constraint=NONE_ALONE_RULE,
      constraint_message=NONE_ALONE),
    q("select_one remittance_frequency", "remittance_frequency", T(
        "¿Con qué frecuencia envía la organización remesas colectivas?",
        "How often does the organization send collective remittances?",
        "À quelle fréquence l'organisation effectue-t-elle des envois de fonds collectifs ?",
        "Com que frequência a organização envia remessas coletivas?",
        "Con quale frequenza l'organizzazione invia rimesse collettive?",
        "Как часто организация отправляет коллективные денежные переводы?",
    ), required=True, relevant="selected(${activities_origin}, 'collective_remittances')"),
    q("decimal", "remittance_amount", T(
        "Monto aproximado de las remesas colectivas enviadas en los últimos 12 meses "
        "(en dólares estadounidenses)",
        "Approximate amount of collective remittances sent in the last 12 months "
        "(in US dollars)",
        "Montant approximatif des envois de fonds collectifs des 12 derniers mois "
        "(en dollars américains)",
        "Valor aproximado das remessas coletivas enviadas nos últimos 12 meses "
        "(em dólares americanos)",
        "Importo approssimativo delle rimesse collettive inviate negli ultimi 12 mesi "
        "(in dollari statunitensi)",
        "Примерная сумма коллективных переводов за последние 12 месяцев (в долларах США)",
    ), T(
        "Déjela vacía si la persona no lo sabe.",
        "Leave it empty if the respondent does not know.",
        "Laissez vide si la personne ne le sait pas.",
        "Deixe em branco se a pessoa não souber.",
        "Lasciare vuoto se la persona non lo sa.",
        "Оставьте пустым, если респондент не знает.",
    ), relevant="selected(${activities_origin}, 'collective_remittances')",
      constraint=". >= 0", constraint_message=NOT_NEGATIVE),
    q("select_multiple emergency", "humanitarian_events", T(
        "¿Ante qué emergencias ha organizado ayuda humanitaria?",
        "In which emergencies has it organized humanitarian aid?",
        "Lors de quelles urgences a-t-elle organisé une aide humanitaire ?",
        "Em quais emergências organizou ajuda humanitária?",
        "In quali emergenze ha organizzato aiuti umanitari?",
        "В каких чрезвычайных ситуациях организация оказывала гуманитарную помощь?",
    ), ALL_THAT_APPLY, required=True,
      relevant="selected(${activities_origin}, 'humanitarian')"),
    q("select_one yes_no", "has_projects", T(
        "En los últimos cinco años, ¿la organización realizó o financió proyectos de "
        "desarrollo en el país de origen?",
        "In the last five years, did the organization carry out or fund development "
        "projects in the country of origin?",
        "Au cours des cinq dernières années, l'organisation a-t-elle mené ou financé des "
        "projets de développement dans le pays d'origine ?",
        "Nos últimos cinco anos, a organização realizou ou financiou projetos de "
        "desenvolvimento no país de origem?",
        "Negli ultimi cinque anni, l'organizzazione ha realizzato o finanziato progetti di "
        "sviluppo nel paese di origine?",
        "Реализовывала или финансировала ли организация проекты развития в стране "
        "происхождения за последние пять лет?",
    ), required=True),
    q("end_group"),
]

PROJECTS = [
    q("begin_repeat", "project", T(
        "E. Proyecto en el país de origen",
        "E. Project in the country of origin",
        "E. Projet dans le pays d'origine",
        "E. Projeto no país de origem",
        "E. Progetto nel paese di origine",
        "E. Проект в стране происхождения",
    ), T(
        "Registre un proyecto por repetición, empezando por el más reciente.",
        "Record one project per repetition, starting with the most recent.",
        "Enregistrez un projet par répétition, en commençant par le plus récent.",
        "Registre um projeto por repetição, começando pelo mais recente.",
        "Registrare un progetto per ripetizione, iniziando dal più recente.",
        "Заполняйте по одному проекту в каждом повторе, начиная с самого недавнего.",
    ), relevant=f"{CONSENTED} and ${{has_projects}} = 'yes'"),
    q("text", "project_name", T(
        "Nombre del proyecto",
        "Name of the project",
        "Nom du projet",
        "Nome do projeto",
        "Nome del progetto",
        "Название проекта",
    ), required=True),
    q("select_one origin_country", "project_country", T(
        "País del proyecto",
        "Country of the project",
        "Pays du projet",
        "País do projeto",
        "Paese del progetto",
        "Страна проекта",
    ), required=True),
    q("select_one division", "project_division", T(
        "Departamento, estado o provincia",
        "Department, state or province",
        "Département, État ou province",
        "Departamento, estado ou província",
        "Dipartimento, stato o provincia",
        "Департамент, штат или провинция",
    ), required=True, relevant="${project_country} != ''",
      choice_filter="country = ${project_country}"),
    q("text", "project_municipality", T(
        "Municipio o comunidad",
        "Municipality or community",
        "Commune ou communauté",
        "Município ou comunidade",
        "Comune o comunità",
        "Муниципалитет или община",
    ), required=True),
    q("select_one sector", "project_sector", T(
        "Sector principal del proyecto",
        "Main sector of the project",
        "Secteur principal du projet",
        "Setor principal do projeto",
        "Settore principale del progetto",
        "Основная сфера проекта",
    ), required=True),
    q("text", "project_sector_other", SPECIFY, required=True,
      relevant="${project_sector} = 'other'"),
    q("integer", "project_year", T(
        "Año de inicio del proyecto",
        "Year the project started",
        "Année de démarrage du projet",
        "Ano de início do projeto",
        "Anno di avvio del progetto",
        "Год начала проекта",
    ), required=True, constraint=f". >= 1950 and . <= {THIS_YEAR}", constraint_message=T(
        "Escriba un año entre 1950 y el año de la entrevista.",
        "Enter a year between 1950 and the year of the interview.",
        "Saisissez une année comprise entre 1950 et l'année de l'entretien.",
        "Informe um ano entre 1950 e o ano da entrevista.",
        "Inserire un anno compreso tra il 1950 e l'anno dell'intervista.",
        "Укажите год от 1950 до года проведения интервью.",
    )),
    q("decimal", "project_budget", T(
        "Presupuesto total del proyecto",
        "Total budget of the project",
        "Budget total du projet",
        "Orçamento total do projeto",
        "Budget totale del progetto",
        "Общий бюджет проекта",
    ), T(
        "Escriba 0 si no tuvo costo en dinero; déjelo vacío si no se sabe.",
        "Enter 0 if it had no monetary cost; leave it empty if unknown.",
        "Saisissez 0 s'il n'a eu aucun coût monétaire ; laissez vide si on ne le sait pas.",
        "Informe 0 se não teve custo em dinheiro; deixe em branco se não souber.",
        "Inserire 0 se non ha avuto costi monetari; lasciare vuoto se non si sa.",
        "Укажите 0, если денежных затрат не было; оставьте пустым, если неизвестно.",
    ), constraint=". >= 0", constraint_message=NOT_NEGATIVE),
    q("select_one currency", "project_currency", T(
        "Moneda del presupuesto",
        "Currency of the budget",
        "Devise du budget",
        "Moeda do orçamento",
        "Valuta del budget",
        "Валюта бюджета",
    ), required=True, relevant="${project_budget} != '' and ${project_budget} > 0"),
    q("select_one yes_no_dk", "project_cofunding", T(
        "¿El proyecto tuvo cofinanciamiento público (municipal, estatal o nacional)?",
        "Did the project have public co-funding (municipal, state or national)?",
        "Le projet a-t-il bénéficié d'un cofinancement public (municipal, régional ou "
        "national) ?",
        "O projeto teve cofinanciamento público (municipal, estadual ou nacional)?",
        "Il progetto ha avuto un cofinanziamento pubblico (comunale, regionale o nazionale)?",
        "Было ли у проекта государственное софинансирование (муниципальное, региональное "
        "или национальное)?",
    ), required=True),
    q("select_multiple cofunding_source", "cofunding_sources", T(
        "¿Quién aportó el cofinanciamiento?",
        "Who provided the co-funding?",
        "Qui a apporté le cofinancement ?",
        "Quem forneceu o cofinanciamento?",
        "Chi ha fornito il cofinanziamento?",
        "Кто предоставил софинансирование?",
    ), ALL_THAT_APPLY, required=True, relevant="${project_cofunding} = 'yes'"),
    q("integer", "project_beneficiaries", T(
        "Número aproximado de personas beneficiarias",
        "Approximate number of beneficiaries",
        "Nombre approximatif de bénéficiaires",
        "Número aproximado de beneficiários",
        "Numero approssimativo di beneficiari",
        "Примерное число благополучателей",
    ), constraint=". >= 0 and . <= 10000000", constraint_message=T(
        "Escriba un número entre 0 y 10 000 000.",
        "Enter a number between 0 and 10,000,000.",
        "Saisissez un nombre compris entre 0 et 10 000 000.",
        "Informe um número entre 0 e 10.000.000.",
        "Inserire un numero compreso tra 0 e 10.000.000.",
        "Укажите число от 0 до 10 000 000.",
    )),
    q("select_one project_status", "project_status", T(
        "Situación actual del proyecto",
        "Current status of the project",
        "Situation actuelle du projet",
        "Situação atual do projeto",
        "Stato attuale del progetto",
        "Текущее состояние проекта",
    ), required=True),
    q("end_repeat"),
    # The form starts with one (empty) project instance, as in ODK Collect: count it only
    # when projects were declared.
    q("calculate", "project_count", relevant=CONSENTED,
      calculation="if(${has_projects} = 'yes', count(${project}), 0)"),
]
