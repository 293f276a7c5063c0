; Installer strings in Portuguese (UTF-8). MUI2 supplies the standard page texts.

LangString SEC_PROGRAM ${LANG_PORTUGUESE} "FieldSurvey (obrigatório)"
LangString SEC_STARTMENU ${LANG_PORTUGUESE} "Atalho no menu Iniciar"
LangString SEC_DESKTOP ${LANG_PORTUGUESE} "Atalho na área de trabalho"
LangString SEC_ASSOCIATE ${LANG_PORTUGUESE} "Abrir questionários (.xlsx) no FieldSurvey"
LangString DESC_PROGRAM ${LANG_PORTUGUESE} "O programa FieldSurvey, instalado só para si; não são precisos direitos de administrador."
LangString DESC_STARTMENU ${LANG_PORTUGUESE} "Adiciona o FieldSurvey ao menu Iniciar."
LangString DESC_DESKTOP ${LANG_PORTUGUESE} "Coloca um atalho para o FieldSurvey na área de trabalho."
LangString DESC_ASSOCIATE ${LANG_PORTUGUESE} "Adiciona a ação «Abrir no FieldSurvey» aos questionários do Excel (.xlsx). O Excel continua a ser o programa que os abre por predefinição."
LangString ASSOC_DESCRIPTION ${LANG_PORTUGUESE} "Questionário do FieldSurvey"
LangString VERB_OPEN ${LANG_PORTUGUESE} "Abrir no FieldSurvey"
LangString UNINSTALL_DATA_KEPT ${LANG_PORTUGUESE} "As suas entrevistas, questionários e definições em $LOCALAPPDATA\FieldSurvey foram mantidos."
