"""Sections A to C: the interview, informed consent and the organization's profile."""

from __future__ import annotations

from ..languages import T
from ..workbook import q

CONSENTED = "${consent} = 'yes'"
THIS_YEAR = "number(format-date(${interview_date}, '%Y'))"

NONE_ALONE = T(
    "«Ninguna» no puede marcarse junto con otras opciones.",
    "“None” cannot be selected together with other options.",
    "« Aucune » ne peut pas être cochée avec d'autres options.",
    "“Nenhuma” não pode ser marcada junto com outras opções.",
    "«Nessuna» non può essere selezionata insieme ad altre opzioni.",
    "Вариант «Ничего из перечисленного» нельзя отмечать вместе с другими.",
)
NONE_ALONE_RULE = "not(selected(., 'none') and count-selected(.) > 1)"

ALL_THAT_APPLY = T(
    "Marque todas las opciones que correspondan.",
    "Select all that apply.",
    "Cochez toutes les réponses pertinentes.",
    "Marque todas as opções que se aplicam.",
    "Selezionare tutte le risposte pertinenti.",
    "Отметьте все подходящие варианты.",
)

NOT_ABOVE_TOTAL = T(
    "No puede ser mayor que el número total de miembros (${members_total}).",
    "Cannot be more than the total number of members (${members_total}).",
    "Ne peut pas dépasser le nombre total de membres (${members_total}).",
    "Não pode ser maior que o número total de membros (${members_total}).",
    "Non può superare il numero totale di membri (${members_total}).",
    "Не может превышать общее число участников (${members_total}).",
)

SPECIFY = T(
    "Especifique", "Please specify", "Précisez", "Especifique", "Specificare", "Уточните",
)

META = [
    q("start", "start"),
    q("end", "end"),
    q("today", "today"),
    q("deviceid", "deviceid"),
    # The enumerator the app (or Collect's "Username" setting) knows; fills `researcher`.
    q("username", "username"),
]

INTERVIEW = [
    q("begin_group", "interview", T(
        "A. Datos de la entrevista",
        "A. Interview details",
        "A. Informations sur l'entretien",
        "A. Dados da entrevista",
        "A. Dati dell'intervista",
        "A. Сведения об интервью",
    ), appearance="field-list"),
    # A dynamic default: set once when the interview is created (odk-instance-first-load),
    # after the metadata, so a name corrected here stays when the draft is reopened.
    q("text", "researcher", T(
        "Nombre del/de la encuestador/a",
        "Researcher's name",
        "Nom de l'enquêteur ou de l'enquêtrice",
        "Nome do(a) entrevistador(a)",
        "Nome del rilevatore o della rilevatrice",
        "Имя интервьюера",
    ), T(
        "Se completa con el nombre de encuestador/a indicado en la configuración de la "
        "aplicación; corríjalo si la entrevista la realiza otra persona.",
        "Filled in with the researcher's name from the application's settings; correct it "
        "if someone else conducts the interview.",
        "Rempli avec le nom d'enquêteur ou d'enquêtrice défini dans les paramètres de "
        "l'application ; corrigez-le si une autre personne mène l'entretien.",
        "Preenchido com o nome do(a) entrevistador(a) definido nas configurações do "
        "aplicativo; corrija-o se outra pessoa conduzir a entrevista.",
        "Compilato con il nome del rilevatore o della rilevatrice indicato nelle impostazioni "
        "dell'applicazione; correggerlo se l'intervista è condotta da un'altra persona.",
        "Подставляется имя интервьюера, указанное в настройках приложения; исправьте его, "
        "если интервью проводит другой человек.",
    ), required=True, default="${username}"),
    q("date", "interview_date", T(
        "Fecha de la entrevista",
        "Date of the interview",
        "Date de l'entretien",
        "Data da entrevista",
        "Data dell'intervista",
        "Дата интервью",
    ), required=True, default="today()", constraint=". <= today()", constraint_message=T(
        "La fecha de la entrevista no puede ser posterior a hoy.",
        "The interview date cannot be later than today.",
        "La date de l'entretien ne peut pas être postérieure à aujourd'hui.",
        "A data da entrevista não pode ser posterior a hoje.",
        "La data dell'intervista non può essere successiva a oggi.",
        "Дата интервью не может быть позже сегодняшней.",
    )),
    q("select_one mode", "interview_mode", T(
        "Modalidad de la entrevista",
        "Interview mode",
        "Mode d'entretien",
        "Modalidade da entrevista",
        "Modalità dell'intervista",
        "Формат интервью",
    ), required=True),
    q("text", "interview_place", T(
        "Lugar de la entrevista (ciudad)",
        "Place of the interview (city)",
        "Lieu de l'entretien (ville)",
        "Local da entrevista (cidade)",
        "Luogo dell'intervista (città)",
        "Место проведения интервью (город)",
    ), T(
        "Por ejemplo: la sede de la organización en Houston.",
        "For example: the organization's office in Houston.",
        "Par exemple : le siège de l'organisation à Houston.",
        "Por exemplo: a sede da organização em Houston.",
        "Ad esempio: la sede dell'organizzazione a Houston.",
        "Например: офис организации в Хьюстоне.",
    ), required=True, relevant="${interview_mode} = 'in_person'"),
    q("select_one role", "respondent_role", T(
        "Cargo de la persona entrevistada en la organización",
        "Respondent's position in the organization",
        "Fonction de la personne interrogée dans l'organisation",
        "Cargo da pessoa entrevistada na organização",
        "Ruolo della persona intervistata nell'organizzazione",
        "Должность респондента в организации",
    ), required=True),
    q("text", "respondent_role_other", SPECIFY, required=True,
      relevant="${respondent_role} = 'other'"),
    q("end_group"),
]

CONSENT = [
    q("begin_group", "consent_section", T(
        "B. Consentimiento informado",
        "B. Informed consent",
        "B. Consentement éclairé",
        "B. Consentimento informado",
        "B. Consenso informato",
        "B. Информированное согласие",
    )),
    q("note", "consent_info", T(
        "Lea a la persona entrevistada: Este estudio de la Organización Internacional para "
        "las Migraciones (OIM) y el Laboratorio de Estudios Económicos y Sociales (LEES) busca "
        "conocer cómo las organizaciones de la diáspora de Centroamérica y México vinculan los "
        "países de destino y de origen. La entrevista dura unos 40 minutos. Su participación "
        "es voluntaria, puede dejar de responder en cualquier momento y la información se "
        "usará solo con fines de investigación, sin publicar datos personales.",
        "Read to the respondent: This study by the International Organization for Migration "
        "(IOM) and the Laboratory of Economic and Social Studies (LEES) looks at how diaspora "
        "organizations of Central America and Mexico link countries of destination and origin. "
        "The interview takes about 40 minutes. Taking part is voluntary, you may stop at any "
        "time, and the information will be used for research only, with no personal data "
        "published.",
        "Lisez à la personne interrogée : Cette étude de l'Organisation internationale pour "
        "les migrations (OIM) et du Laboratoire d'études économiques et sociales (LEES) "
        "s'intéresse à la manière dont les organisations de la diaspora d'Amérique centrale et "
        "du Mexique relient pays de destination et pays d'origine. L'entretien dure environ "
        "40 minutes. Votre participation est volontaire, vous pouvez l'interrompre à tout "
        "moment et les informations ne serviront qu'à la recherche, sans publication de "
        "données personnelles.",
        "Leia para a pessoa entrevistada: Este estudo da Organização Internacional para as "
        "Migrações (OIM) e do Laboratório de Estudos Econômicos e Sociais (LEES) procura "
        "entender como as organizações da diáspora da América Central e do México ligam os "
        "países de destino e de origem. A entrevista dura cerca de 40 minutos. A participação "
        "é voluntária, você pode parar a qualquer momento e as informações serão usadas "
        "apenas para pesquisa, sem divulgação de dados pessoais.",
        "Leggere alla persona intervistata: Questo studio dell'Organizzazione Internazionale "
        "per le Migrazioni (OIM) e del Laboratorio di Studi Economici e Sociali (LEES) "
        "indaga come le organizzazioni della diaspora dell'America centrale e del Messico "
        "collegano i paesi di destinazione e di origine. L'intervista dura circa 40 minuti. "
        "La partecipazione è volontaria, può interromperla in qualsiasi momento e le "
        "informazioni saranno usate solo a fini di ricerca, senza pubblicare dati personali.",
        "Прочитайте респонденту: Это исследование Международной организации по миграции "
        "(МОМ) и Лаборатории экономических и социальных исследований (LEES) посвящено тому, "
        "как организации диаспор Центральной Америки и Мексики связывают страны назначения и "
        "происхождения. Интервью займёт около 40 минут. Участие добровольное, вы можете "
        "прекратить его в любой момент, а сведения будут использованы только в "
        "исследовательских целях, без публикации персональных данных.",
    )),
    q("select_one yes_no", "consent", T(
        "¿Acepta participar en la entrevista?",
        "Do you agree to take part in the interview?",
        "Acceptez-vous de participer à l'entretien ?",
        "Você aceita participar da entrevista?",
        "Accetta di partecipare all'intervista?",
        "Согласны ли вы принять участие в интервью?",
    ), required=True),
    q("note", "consent_refused", T(
        "La persona no acepta participar. Agradezca su tiempo y termine la entrevista; "
        "no registre más datos.",
        "The respondent declines to take part. Thank them for their time and end the "
        "interview; record nothing further.",
        "La personne refuse de participer. Remerciez-la de son temps et mettez fin à "
        "l'entretien ; n'enregistrez rien de plus.",
        "A pessoa não aceita participar. Agradeça pelo tempo e encerre a entrevista; não "
        "registre mais dados.",
        "La persona non accetta di partecipare. La ringrazi per il tempo dedicato e chiuda "
        "l'intervista senza registrare altri dati.",
        "Респондент отказался от участия. Поблагодарите его за уделённое время и завершите "
        "интервью, больше ничего не записывая.",
    ), relevant="${consent} = 'no'"),
    q("end_group"),
]

PROFILE = [
    q("begin_group", "profile", T(
        "C. Perfil de la organización",
        "C. Organization profile",
        "C. Profil de l'organisation",
        "C. Perfil da organização",
        "C. Profilo dell'organizzazione",
        "C. Профиль организации",
    ), relevant=CONSENTED),
    q("text", "org_name", T(
        "Nombre de la organización de la diáspora",
        "Name of the diaspora organization",
        "Nom de l'organisation de la diaspora",
        "Nome da organização da diáspora",
        "Nome dell'organizzazione della diaspora",
        "Название организации диаспоры",
    ), T(
        "Nombre completo, sin abreviaturas.",
        "Full name, without abbreviations.",
        "Nom complet, sans abréviation.",
        "Nome completo, sem abreviações.",
        "Nome completo, senza abbreviazioni.",
        "Полное название, без сокращений.",
    ), required=True),
    q("text", "org_acronym", T(
        "Siglas de la organización (si las tiene)",
        "Acronym of the organization (if any)",
        "Sigle de l'organisation (le cas échéant)",
        "Sigla da organização (se houver)",
        "Sigla dell'organizzazione (se presente)",
        "Аббревиатура организации (если есть)",
    )),
    q("integer", "year_founded", T(
        "Año de fundación",
        "Year founded",
        "Année de création",
        "Ano de fundação",
        "Anno di fondazione",
        "Год основания",
    ), T(
        "Año en que empezó a funcionar, aunque se haya registrado después.",
        "The year it began its activities, even if it was registered later.",
        "Année où elle a commencé ses activités, même si elle a été enregistrée plus tard.",
        "Ano em que começou a funcionar, mesmo que tenha sido registrada depois.",
        "Anno in cui ha iniziato l'attività, anche se è stata registrata in seguito.",
        "Год начала деятельности, даже если регистрация была позже.",
    ), required=True, constraint=f". >= 1900 and . <= {THIS_YEAR}", constraint_message=T(
        "Escriba un año entre 1900 y el año de la entrevista.",
        "Enter a year between 1900 and the year of the interview.",
        "Saisissez une année comprise entre 1900 et l'année de l'entretien.",
        "Informe um ano entre 1900 e o ano da entrevista.",
        "Inserire un anno compreso tra il 1900 e l'anno dell'intervista.",
        "Укажите год от 1900 до года проведения интервью.",
    )),
    q("calculate", "years_active",
      calculation=f"if(${{year_founded}} = '', '', {THIS_YEAR} - ${{year_founded}})"),
    q("note", "years_active_note", T(
        "La organización tiene ${years_active} años de trayectoria.",
        "The organization has been active for ${years_active} years.",
        "L'organisation existe depuis ${years_active} ans.",
        "A organização tem ${years_active} anos de trajetória.",
        "L'organizzazione è attiva da ${years_active} anni.",
        "Стаж работы организации, лет: ${years_active}.",
    ), relevant="${year_founded} != ''"),
    q("select_one legal_status", "legal_status", T(
        "Situación legal de la organización en el país de destino",
        "Legal status of the organization in the country of destination",
        "Statut juridique de l'organisation dans le pays de destination",
        "Situação jurídica da organização no país de destino",
        "Status giuridico dell'organizzazione nel paese di destinazione",
        "Правовой статус организации в стране назначения",
    ), required=True),
    q("select_one destination", "dest_country", T(
        "País de destino donde tiene su sede la organización",
        "Country of destination where the organization is based",
        "Pays de destination où l'organisation a son siège",
        "País de destino onde a organização tem sede",
        "Paese di destinazione in cui ha sede l'organizzazione",
        "Страна назначения, где находится организация",
    ), required=True),
    q("text", "dest_country_other", SPECIFY, required=True,
      relevant="${dest_country} = 'other'"),
    q("text", "dest_region", T(
        "Estado, provincia o región",
        "State, province or region",
        "État, province ou région",
        "Estado, província ou região",
        "Stato, provincia o regione",
        "Штат, провинция или регион",
    ), T(
        "Por ejemplo: California, Texas, Ontario, Comunidad de Madrid.",
        "For example: California, Texas, Ontario, Community of Madrid.",
        "Par exemple : Californie, Texas, Ontario, Communauté de Madrid.",
        "Por exemplo: Califórnia, Texas, Ontário, Comunidade de Madri.",
        "Ad esempio: California, Texas, Ontario, Comunità di Madrid.",
        "Например: Калифорния, Техас, Онтарио, Мадридское сообщество.",
    )),
    q("text", "dest_city", T(
        "Ciudad de la sede",
        "City where it is based",
        "Ville du siège",
        "Cidade da sede",
        "Città della sede",
        "Город, где находится организация",
    ), T(
        "Por ejemplo: Los Ángeles, Houston, Chicago, Madrid, Toronto.",
        "For example: Los Angeles, Houston, Chicago, Madrid, Toronto.",
        "Par exemple : Los Angeles, Houston, Chicago, Madrid, Toronto.",
        "Por exemplo: Los Angeles, Houston, Chicago, Madri, Toronto.",
        "Ad esempio: Los Angeles, Houston, Chicago, Madrid, Toronto.",
        "Например: Лос-Анджелес, Хьюстон, Чикаго, Мадрид, Торонто.",
    ), required=True),
    q("select_multiple origin_country", "origin_countries", T(
        "Países de origen de los miembros",
        "Members' countries of origin",
        "Pays d'origine des membres",
        "Países de origem dos membros",
        "Paesi di origine dei membri",
        "Страны происхождения участников",
    ), ALL_THAT_APPLY, required=True),
    q("select_multiple division", "origin_divisions", T(
        "Departamentos, estados o provincias de origen de la mayoría de los miembros",
        "Departments, states or provinces of origin of most members",
        "Départements, États ou provinces d'origine de la plupart des membres",
        "Departamentos, estados ou províncias de origem da maioria dos membros",
        "Dipartimenti, stati o province di origine della maggior parte dei membri",
        "Департаменты, штаты или провинции, откуда родом большинство участников",
    ), T(
        "La lista muestra solo los países de origen marcados.",
        "The list shows only the countries of origin selected above.",
        "La liste ne montre que les pays d'origine cochés.",
        "A lista mostra apenas os países de origem marcados.",
        "L'elenco mostra solo i paesi di origine selezionati.",
        "В списке показаны только отмеченные выше страны происхождения.",
    ), required=True, relevant="${origin_countries} != ''",
      choice_filter="selected(${origin_countries}, country)"),
    q("select_one org_type", "org_type", T(
        "Tipo de organización",
        "Type of organization",
        "Type d'organisation",
        "Tipo de organização",
        "Tipo di organizzazione",
        "Тип организации",
    ), required=True),
    q("text", "org_type_other", SPECIFY, required=True, relevant="${org_type} = 'other'"),
    q("select_one scope", "geographic_scope", T(
        "Ámbito de acción en el país de destino",
        "Geographic reach in the country of destination",
        "Portée géographique dans le pays de destination",
        "Âmbito de atuação no país de destino",
        "Ambito territoriale nel paese di destinazione",
        "Географический охват в стране назначения",
    ), required=True),
    q("integer", "members_total", T(
        "Número total de miembros",
        "Total number of members",
        "Nombre total de membres",
        "Número total de membros",
        "Numero totale di membri",
        "Общее число участников",
    ), T(
        "Personas inscritas o que participan con regularidad.",
        "People registered or taking part regularly.",
        "Personnes inscrites ou participant régulièrement.",
        "Pessoas inscritas ou que participam regularmente.",
        "Persone iscritte o che partecipano regolarmente.",
        "Зарегистрированные или регулярно участвующие люди.",
    ), required=True, constraint=". >= 1 and . <= 100000", constraint_message=T(
        "Escriba un número entre 1 y 100 000.",
        "Enter a number between 1 and 100,000.",
        "Saisissez un nombre compris entre 1 et 100 000.",
        "Informe um número entre 1 e 100.000.",
        "Inserire un numero compreso tra 1 e 100.000.",
        "Укажите число от 1 до 100 000.",
    )),
    q("integer", "members_active", T(
        "De ellos, ¿cuántos participaron en actividades durante el último año?",
        "Of these, how many took part in activities during the last year?",
        "Parmi eux, combien ont participé à des activités au cours de l'année écoulée ?",
        "Desses, quantos participaram de atividades no último ano?",
        "Di questi, quanti hanno partecipato ad attività nell'ultimo anno?",
        "Сколько из них участвовали в мероприятиях за последний год?",
    ), constraint=". >= 0 and . <= ${members_total}", constraint_message=NOT_ABOVE_TOTAL),
    q("integer", "members_women", T(
        "¿Cuántas de las personas miembros son mujeres?",
        "How many of the members are women?",
        "Combien de membres sont des femmes ?",
        "Quantos dos membros são mulheres?",
        "Quanti membri sono donne?",
        "Сколько среди участников женщин?",
    ), constraint=". >= 0 and . <= ${members_total}", constraint_message=NOT_ABOVE_TOTAL),
    q("calculate", "women_percent", calculation=(
        "if(${members_women} = '' or ${members_total} = '' or ${members_total} = 0, '', "
        "round(100 * ${members_women} div ${members_total}, 0))"
    )),
    q("select_one gender", "leader_gender", T(
        "Género de quien preside o coordina la organización",
        "Gender of the person who chairs or coordinates the organization",
        "Genre de la personne qui préside ou coordonne l'organisation",
        "Gênero de quem preside ou coordena a organização",
        "Genere di chi presiede o coordina l'organizzazione",
        "Пол руководителя или координатора организации",
    ), required=True),
    q("select_one generation", "leader_generation", T(
        "La directiva está formada principalmente por…",
        "The board is made up mainly of…",
        "Le bureau est composé principalement de…",
        "A diretoria é formada principalmente por…",
        "Il direttivo è composto principalmente da…",
        "Правление состоит в основном из…",
    )),
    q("select_one selection", "leadership_selection", T(
        "¿Cómo se elige a la directiva?",
        "How is the board chosen?",
        "Comment le bureau est-il désigné ?",
        "Como a diretoria é escolhida?",
        "Come viene scelto il direttivo?",
        "Как избирается правление?",
    )),
    q("select_one yes_no", "youth_in_board", T(
        "¿Hay personas jóvenes (menores de 30 años) en la directiva?",
        "Are there young people (under 30) on the board?",
        "Y a-t-il des jeunes (moins de 30 ans) au bureau ?",
        "Há jovens (menores de 30 anos) na diretoria?",
        "Ci sono giovani (under 30) nel direttivo?",
        "Есть ли в правлении молодые люди (до 30 лет)?",
    )),
    q("integer", "paid_staff", T(
        "Número de personas con salario en la organización",
        "Number of paid staff",
        "Nombre de salariés de l'organisation",
        "Número de pessoas remuneradas na organização",
        "Numero di persone retribuite nell'organizzazione",
        "Число оплачиваемых сотрудников",
    ), T(
        "0 si todo el trabajo es voluntario.",
        "0 if all the work is voluntary.",
        "0 si tout le travail est bénévole.",
        "0 se todo o trabalho é voluntário.",
        "0 se tutto il lavoro è volontario.",
        "0, если вся работа ведётся добровольцами.",
    ), constraint=". >= 0 and . <= 1000", constraint_message=T(
        "Escriba un número entre 0 y 1000.",
        "Enter a number between 0 and 1,000.",
        "Saisissez un nombre compris entre 0 et 1 000.",
        "Informe um número entre 0 e 1.000.",
        "Inserire un numero compreso tra 0 e 1.000.",
        "Укажите число от 0 до 1000.",
    )),
    q("select_multiple funding", "funding_sources", T(
        "¿De dónde provienen los fondos de la organización?",
        "Where do the organization's funds come from?",
        "D'où proviennent les fonds de l'organisation ?",
        "De onde vêm os recursos da organização?",
        "Da dove provengono i fondi dell'organizzazione?",
        "Каковы источники финансирования организации?",
    ), ALL_THAT_APPLY, required=True, constraint=NONE_ALONE_RULE, constraint_message=NONE_ALONE),
    q("end_group"),
]
