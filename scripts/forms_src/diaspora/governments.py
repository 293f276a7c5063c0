"""Sections F to H: links with governments and consulates (enable, engage, empower),
obstacles and opportunities, and contact for follow-up."""

from __future__ import annotations

from ..languages import T
from ..workbook import q
from .opening import ALL_THAT_APPLY, CONSENTED, NONE_ALONE, NONE_ALONE_RULE

HAS_CONSULATE = "${consulate_frequency} != '' and ${consulate_frequency} != 'never'"
CONTACT_MISSING = T(
    "Escriba al menos un correo electrónico o un teléfono.",
    "Enter at least an e-mail address or a phone number.",
    "Saisissez au moins une adresse e-mail ou un numéro de téléphone.",
    "Informe pelo menos um e-mail ou um telefone.",
    "Inserire almeno un indirizzo e-mail o un numero di telefono.",
    "Укажите хотя бы адрес электронной почты или номер телефона.",
)
EMAIL_RULE = r"regex(., '^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$')"
PHONE_RULE = r"regex(., '^\+[0-9]{1,3}[ ]?[0-9][0-9 -]{5,16}[0-9]$')"
AGREEMENT_HINT = T(
    "Lea la afirmación y pregunte qué tan de acuerdo está.",
    "Read the statement and ask how far the respondent agrees.",
    "Lisez l'affirmation et demandez dans quelle mesure la personne est d'accord.",
    "Leia a afirmação e pergunte o quanto a pessoa concorda.",
    "Leggere l'affermazione e chiedere quanto la persona è d'accordo.",
    "Прочитайте утверждение и спросите, насколько респондент с ним согласен.",
)


def statement(name: str, label: dict[str, str], **columns) -> dict:
    """An agreement question on the 1-5 scale, shown as a Likert row."""
    return q("select_one agreement", name, label, AGREEMENT_HINT, appearance="likert",
             required=True, **columns)


GOVERNMENTS = [
    q("begin_group", "governments", T(
        "F. Vínculos con gobiernos y consulados",
        "F. Links with governments and consulates",
        "F. Liens avec les gouvernements et les consulats",
        "F. Vínculos com governos e consulados",
        "F. Rapporti con governi e consolati",
        "F. Связи с правительствами и консульствами",
    ), relevant=CONSENTED),
    q("note", "axes_intro", T(
        "Las preguntas siguientes siguen los tres ejes de la estrategia de la OIM: "
        "habilitar (condiciones para que la diáspora participe), involucrar (diálogo y "
        "programas con los gobiernos) y empoderar (la diáspora como socia del desarrollo).",
        "The following questions follow the three axes of IOM's strategy: enable "
        "(conditions for the diaspora to take part), engage (dialogue and programmes with "
        "governments) and empower (the diaspora as a partner in development).",
        "Les questions suivantes suivent les trois axes de la stratégie de l'OIM : "
        "permettre (les conditions de la participation de la diaspora), mobiliser "
        "(dialogue et programmes avec les gouvernements) et autonomiser (la diaspora "
        "comme partenaire du développement).",
        "As perguntas a seguir seguem os três eixos da estratégia da OIM: habilitar "
        "(condições para a diáspora participar), engajar (diálogo e programas com os "
        "governos) e empoderar (a diáspora como parceira do desenvolvimento).",
        "Le domande seguenti seguono i tre assi della strategia dell'OIM: abilitare "
        "(condizioni per la partecipazione della diaspora), coinvolgere (dialogo e "
        "programmi con i governi) e responsabilizzare (la diaspora come partner dello "
        "sviluppo).",
        "Следующие вопросы построены по трём направлениям стратегии МОМ: создание "
        "условий (возможности для участия диаспоры), вовлечение (диалог и программы с "
        "правительствами) и расширение возможностей (диаспора как партнёр в развитии).",
    )),
    q("begin_group", "enable", T(
        "Habilitar",
        "Enable",
        "Permettre",
        "Habilitar",
        "Abilitare",
        "Создание условий",
    )),
    q("select_one frequency", "consulate_frequency", T(
        "¿Con qué frecuencia tiene la organización contacto con el consulado de su país "
        "de origen?",
        "How often is the organization in contact with the consulate of its country of "
        "origin?",
        "À quelle fréquence l'organisation est-elle en contact avec le consulat de son "
        "pays d'origine ?",
        "Com que frequência a organização tem contato com o consulado do seu país de "
        "origem?",
        "Con quale frequenza l'organizzazione è in contatto con il consolato del suo "
        "paese di origine?",
        "Как часто организация контактирует с консульством своей страны происхождения?",
    ), required=True),
    q("select_multiple consular_service", "consulate_services", T(
        "¿En qué servicios o actividades del consulado ha colaborado la organización?",
        "In which consular services or activities has the organization collaborated?",
        "À quels services ou activités du consulat l'organisation a-t-elle collaboré ?",
        "Em quais serviços ou atividades do consulado a organização colaborou?",
        "A quali servizi o attività del consolato ha collaborato l'organizzazione?",
        "В каких услугах или мероприятиях консульства участвовала организация?",
    ), ALL_THAT_APPLY, required=True, relevant=HAS_CONSULATE),
    q("select_one satisfaction", "consulate_satisfaction", T(
        "¿Qué tan satisfecha está la organización con su relación con el consulado?",
        "How satisfied is the organization with its relationship with the consulate?",
        "Dans quelle mesure l'organisation est-elle satisfaite de sa relation avec le "
        "consulat ?",
        "Quão satisfeita está a organização com sua relação com o consulado?",
        "Quanto è soddisfatta l'organizzazione del rapporto con il consolato?",
        "Насколько организация удовлетворена отношениями с консульством?",
    ), appearance="likert", required=True, relevant=HAS_CONSULATE),
    statement("enable_information", T(
        "«Las autoridades del país de origen informan a tiempo a la organización sobre "
        "trámites, derechos y programas.»",
        "“The authorities of the country of origin inform the organization in good time "
        "about procedures, rights and programmes.”",
        "« Les autorités du pays d'origine informent l'organisation à temps sur les "
        "démarches, les droits et les programmes. »",
        "“As autoridades do país de origem informam a organização a tempo sobre "
        "trâmites, direitos e programas.”",
        "«Le autorità del paese di origine informano tempestivamente l'organizzazione su "
        "pratiche, diritti e programmi.»",
        "«Власти страны происхождения своевременно информируют организацию о процедурах, "
        "правах и программах».",
    )),
    q("end_group"),
    q("begin_group", "engage", T(
        "Involucrar",
        "Engage",
        "Mobiliser",
        "Engajar",
        "Coinvolgere",
        "Вовлечение",
    )),
    q("select_multiple government_program", "origin_programs", T(
        "¿En qué programas del gobierno del país de origen ha participado la organización?",
        "In which programmes of the government of the country of origin has the "
        "organization taken part?",
        "À quels programmes du gouvernement du pays d'origine l'organisation a-t-elle "
        "participé ?",
        "De quais programas do governo do país de origem a organização participou?",
        "A quali programmi del governo del paese di origine ha partecipato "
        "l'organizzazione?",
        "В каких программах правительства страны происхождения участвовала организация?",
    ), ALL_THAT_APPLY, required=True, constraint=NONE_ALONE_RULE,
      constraint_message=NONE_ALONE),
    q("select_one satisfaction", "programs_satisfaction", T(
        "¿Qué tan satisfecha está la organización con esos programas?",
        "How satisfied is the organization with those programmes?",
        "Dans quelle mesure l'organisation est-elle satisfaite de ces programmes ?",
        "Quão satisfeita está a organização com esses programas?",
        "Quanto è soddisfatta l'organizzazione di questi programmi?",
        "Насколько организация удовлетворена этими программами?",
    ), appearance="likert", required=True,
      relevant="${origin_programs} != '' and not(selected(${origin_programs}, 'none'))"),
    q("select_one yes_no", "consulted", T(
        "En los últimos dos años, ¿algún gobierno consultó a la organización sobre "
        "políticas o programas para la diáspora?",
        "In the last two years, has any government consulted the organization on "
        "policies or programmes for the diaspora?",
        "Au cours des deux dernières années, un gouvernement a-t-il consulté "
        "l'organisation sur des politiques ou des programmes pour la diaspora ?",
        "Nos últimos dois anos, algum governo consultou a organização sobre políticas ou "
        "programas para a diáspora?",
        "Negli ultimi due anni, un governo ha consultato l'organizzazione su politiche o "
        "programmi per la diaspora?",
        "Консультировалось ли с организацией какое-либо правительство по вопросам "
        "политики или программ для диаспоры за последние два года?",
    ), required=True),
    q("select_multiple government_level", "consulted_by", T(
        "¿Quién la consultó?",
        "Who consulted it?",
        "Qui l'a consultée ?",
        "Quem a consultou?",
        "Chi l'ha consultata?",
        "Кто именно?",
    ), ALL_THAT_APPLY, required=True, relevant="${consulted} = 'yes'"),
    statement("engage_dialogue", T(
        "«Existen espacios formales de diálogo entre el gobierno de origen y la diáspora "
        "(consejos consultivos, mesas de trabajo, foros).»",
        "“There are formal spaces for dialogue between the government of origin and the "
        "diaspora (advisory councils, working groups, forums).”",
        "« Il existe des espaces formels de dialogue entre le gouvernement d'origine et "
        "la diaspora (conseils consultatifs, tables de travail, forums). »",
        "“Existem espaços formais de diálogo entre o governo de origem e a diáspora "
        "(conselhos consultivos, mesas de trabalho, fóruns).”",
        "«Esistono spazi formali di dialogo tra il governo di origine e la diaspora "
        "(consigli consultivi, tavoli di lavoro, forum).»",
        "«Существуют официальные площадки для диалога между правительством страны "
        "происхождения и диаспорой (консультативные советы, рабочие группы, форумы)».",
    )),
    q("end_group"),
    q("begin_group", "empower", T(
        "Empoderar",
        "Empower",
        "Autonomiser",
        "Empoderar",
        "Responsabilizzare",
        "Расширение возможностей",
    )),
    statement("empower_decisions", T(
        "«La organización participa en las decisiones sobre los proyectos de desarrollo "
        "de su comunidad de origen.»",
        "“The organization takes part in decisions on development projects in its "
        "community of origin.”",
        "« L'organisation participe aux décisions sur les projets de développement de sa "
        "communauté d'origine. »",
        "“A organização participa das decisões sobre os projetos de desenvolvimento da "
        "sua comunidade de origem.”",
        "«L'organizzazione partecipa alle decisioni sui progetti di sviluppo della sua "
        "comunità di origine.»",
        "«Организация участвует в принятии решений о проектах развития в своей общине "
        "происхождения».",
    )),
    statement("empower_partner", T(
        "«El gobierno del país de origen reconoce a la organización como socia para el "
        "desarrollo.»",
        "“The government of the country of origin recognizes the organization as a "
        "partner in development.”",
        "« Le gouvernement du pays d'origine reconnaît l'organisation comme partenaire "
        "du développement. »",
        "“O governo do país de origem reconhece a organização como parceira do "
        "desenvolvimento.”",
        "«Il governo del paese di origine riconosce l'organizzazione come partner dello "
        "sviluppo.»",
        "«Правительство страны происхождения признаёт организацию партнёром в "
        "развитии».",
    )),
    q("select_multiple destination_support", "destination_support", T(
        "¿Qué apoyos ha recibido la organización de gobiernos del país de destino en los "
        "últimos dos años?",
        "What support has the organization received from governments of the country of "
        "destination in the last two years?",
        "Quels soutiens l'organisation a-t-elle reçus des autorités du pays de "
        "destination au cours des deux dernières années ?",
        "Que apoios a organização recebeu de governos do país de destino nos últimos "
        "dois anos?",
        "Quali sostegni ha ricevuto l'organizzazione dalle istituzioni del paese di "
        "destinazione negli ultimi due anni?",
        "Какую поддержку организация получила от органов власти страны назначения за "
        "последние два года?",
    ), ALL_THAT_APPLY, required=True, constraint=NONE_ALONE_RULE,
      constraint_message=NONE_ALONE),
    q("end_group"),
    q("end_group"),
]

OBSTACLES = [
    q("begin_group", "obstacles_section", T(
        "G. Obstáculos y oportunidades",
        "G. Obstacles and opportunities",
        "G. Obstacles et opportunités",
        "G. Obstáculos e oportunidades",
        "G. Ostacoli e opportunità",
        "G. Препятствия и возможности",
    ), relevant=CONSENTED),
    q("select_multiple obstacle", "obstacles", T(
        "¿Qué obstáculos enfrenta la organización para trabajar con su país de origen?",
        "What obstacles does the organization face in working with its country of origin?",
        "Quels obstacles l'organisation rencontre-t-elle pour travailler avec son pays "
        "d'origine ?",
        "Que obstáculos a organização enfrenta para trabalhar com seu país de origem?",
        "Quali ostacoli incontra l'organizzazione nel lavorare con il suo paese di "
        "origine?",
        "С какими препятствиями сталкивается организация в работе со страной "
        "происхождения?",
    ), ALL_THAT_APPLY, required=True, constraint=NONE_ALONE_RULE,
      constraint_message=NONE_ALONE),
    q("select_one obstacle", "main_obstacle", T(
        "De ellos, ¿cuál es el principal?",
        "Which of them is the main one?",
        "Lequel est le principal ?",
        "Qual deles é o principal?",
        "Qual è il principale?",
        "Какое из них главное?",
    ), required=True, relevant="count-selected(${obstacles}) > 1",
      choice_filter="selected(${obstacles}, name)"),
    q("select_multiple opportunity", "opportunities", T(
        "¿Qué oportunidades ve la organización para fortalecer su vínculo con el país de "
        "origen?",
        "What opportunities does the organization see to strengthen its ties with the "
        "country of origin?",
        "Quelles opportunités l'organisation voit-elle pour renforcer ses liens avec le "
        "pays d'origine ?",
        "Que oportunidades a organização vê para fortalecer seu vínculo com o país de "
        "origem?",
        "Quali opportunità vede l'organizzazione per rafforzare il legame con il paese "
        "di origine?",
        "Какие возможности организация видит для укрепления связей со страной "
        "происхождения?",
    ), ALL_THAT_APPLY),
    q("text", "recommendations", T(
        "¿Qué recomendaría a los gobiernos para habilitar, involucrar y empoderar a las "
        "organizaciones de la diáspora?",
        "What would you recommend to governments to enable, engage and empower diaspora "
        "organizations?",
        "Que recommanderiez-vous aux gouvernements pour permettre, mobiliser et "
        "autonomiser les organisations de la diaspora ?",
        "O que recomendaria aos governos para habilitar, engajar e empoderar as "
        "organizações da diáspora?",
        "Che cosa raccomanderebbe ai governi per abilitare, coinvolgere e "
        "responsabilizzare le organizzazioni della diaspora?",
        "Что бы вы порекомендовали правительствам, чтобы создать условия для организаций "
        "диаспоры, вовлечь их и расширить их возможности?",
    ), appearance="multiline"),
    q("end_group"),
]

CONTACT = [
    q("begin_group", "contact", T(
        "H. Contacto para seguimiento",
        "H. Contact for follow-up",
        "H. Contact pour le suivi",
        "H. Contato para acompanhamento",
        "H. Contatto per il follow-up",
        "H. Контакты для последующей связи",
    ), relevant=CONSENTED),
    q("select_one yes_no", "followup", T(
        "¿Acepta que el equipo de investigación vuelva a contactar a la organización?",
        "Do you agree that the research team may contact the organization again?",
        "Acceptez-vous que l'équipe de recherche recontacte l'organisation ?",
        "Você aceita que a equipe de pesquisa volte a contatar a organização?",
        "Accetta che il gruppo di ricerca ricontatti l'organizzazione?",
        "Согласны ли вы, чтобы исследовательская группа снова связалась с организацией?",
    ), required=True),
    q("text", "contact_name", T(
        "Nombre de la persona de contacto",
        "Name of the contact person",
        "Nom de la personne à contacter",
        "Nome da pessoa de contato",
        "Nome della persona di riferimento",
        "Имя контактного лица",
    ), required=True, relevant="${followup} = 'yes'"),
    q("text", "contact_email", T(
        "Correo electrónico",
        "E-mail address",
        "Adresse e-mail",
        "E-mail",
        "Indirizzo e-mail",
        "Адрес электронной почты",
    ), T(
        "Por ejemplo: contacto@organizacion.org",
        "For example: contact@organization.org",
        "Par exemple : contact@organisation.org",
        "Por exemplo: contato@organizacao.org",
        "Ad esempio: contatto@organizzazione.org",
        "Например: contact@organization.org",
    ), relevant="${followup} = 'yes'", constraint=EMAIL_RULE, constraint_message=T(
        "El correo electrónico no es válido; revise que tenga la forma nombre@dominio.org.",
        "The e-mail address is not valid; check that it looks like name@domain.org.",
        "L'adresse e-mail n'est pas valide ; vérifiez qu'elle a la forme nom@domaine.org.",
        "O e-mail não é válido; verifique se tem a forma nome@dominio.org.",
        "L'indirizzo e-mail non è valido; verificare che abbia la forma nome@dominio.org.",
        "Неверный адрес электронной почты; проверьте, что он имеет вид имя@домен.org.",
    )),
    # The phone is required only when no e-mail was given; making the e-mail depend on the
    # phone as well would be a cycle that ODK Validate rejects.
    q("text", "contact_phone", T(
        "Teléfono (con código de país)",
        "Phone number (with country code)",
        "Téléphone (avec l'indicatif du pays)",
        "Telefone (com código do país)",
        "Telefono (con prefisso internazionale)",
        "Телефон (с кодом страны)",
    ), T(
        "Empiece con + y el código de país, por ejemplo: +1 213 555 0147 o +502 2345 6789.",
        "Start with + and the country code, for example: +1 213 555 0147 or +502 2345 6789.",
        "Commencez par + et l'indicatif du pays, par exemple : +1 213 555 0147 ou "
        "+502 2345 6789.",
        "Comece com + e o código do país, por exemplo: +1 213 555 0147 ou +502 2345 6789.",
        "Iniziare con + e il prefisso del paese, ad esempio: +1 213 555 0147 o "
        "+502 2345 6789.",
        "Начните с + и кода страны, например: +1 213 555 0147 или +502 2345 6789.",
    ), relevant="${followup} = 'yes'", required="${contact_email} = ''",
      required_message=CONTACT_MISSING, constraint=PHONE_RULE, constraint_message=T(
        "El teléfono no es válido: use + , el código de país y de 7 a 15 dígitos.",
        "The phone number is not valid: use +, the country code and 7 to 15 digits.",
        "Le numéro n'est pas valide : utilisez +, l'indicatif du pays et 7 à 15 chiffres.",
        "O telefone não é válido: use +, o código do país e de 7 a 15 dígitos.",
        "Il numero non è valido: usare +, il prefisso del paese e da 7 a 15 cifre.",
        "Неверный номер: укажите +, код страны и от 7 до 15 цифр.",
    )),
    q("text", "contact_web", T(
        "Sitio web o redes sociales de la organización",
        "Website or social media of the organization",
        "Site web ou réseaux sociaux de l'organisation",
        "Site ou redes sociais da organização",
        "Sito web o social network dell'organizzazione",
        "Сайт или страницы организации в социальных сетях",
    )),
    q("text", "observations", T(
        "Observaciones del/de la encuestador/a",
        "Researcher's observations",
        "Observations de l'enquêteur ou de l'enquêtrice",
        "Observações do(a) entrevistador(a)",
        "Osservazioni del rilevatore o della rilevatrice",
        "Замечания интервьюера",
    ), appearance="multiline"),
    q("note", "closing", T(
        "Fin de la entrevista. Agradezca a la persona su tiempo y su participación.",
        "End of the interview. Thank the respondent for their time and participation.",
        "Fin de l'entretien. Remerciez la personne pour son temps et sa participation.",
        "Fim da entrevista. Agradeça à pessoa pelo tempo e pela participação.",
        "Fine dell'intervista. Ringraziare la persona per il tempo e la partecipazione.",
        "Конец интервью. Поблагодарите респондента за уделённое время и участие.",
    )),
    q("end_group"),
]
