; Installer strings in Italian (UTF-8). MUI2 supplies the standard page texts.

LangString SEC_PROGRAM ${LANG_ITALIAN} "FieldSurvey (obbligatorio)"
LangString SEC_STARTMENU ${LANG_ITALIAN} "Collegamento nel menu Start"
LangString SEC_DESKTOP ${LANG_ITALIAN} "Collegamento sul desktop"
LangString SEC_ASSOCIATE ${LANG_ITALIAN} "Apri i questionari (.xlsx) in FieldSurvey"
LangString DESC_PROGRAM ${LANG_ITALIAN} "Il programma FieldSurvey, installato solo per te; non servono diritti di amministratore."
LangString DESC_STARTMENU ${LANG_ITALIAN} "Aggiunge FieldSurvey al menu Start."
LangString DESC_DESKTOP ${LANG_ITALIAN} "Crea un collegamento a FieldSurvey sul desktop."
LangString DESC_ASSOCIATE ${LANG_ITALIAN} "Aggiunge l’azione «Apri in FieldSurvey» ai questionari di Excel (.xlsx). Excel resta il programma che li apre in modo predefinito."
LangString ASSOC_DESCRIPTION ${LANG_ITALIAN} "Questionario di FieldSurvey"
LangString VERB_OPEN ${LANG_ITALIAN} "Apri in FieldSurvey"
LangString UNINSTALL_DATA_KEPT ${LANG_ITALIAN} "Le tue interviste, i questionari e le impostazioni in $LOCALAPPDATA\FieldSurvey sono stati conservati."
