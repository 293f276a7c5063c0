; Installer strings in French (UTF-8). MUI2 supplies the standard page texts.

LangString SEC_PROGRAM ${LANG_FRENCH} "FieldSurvey (obligatoire)"
LangString SEC_STARTMENU ${LANG_FRENCH} "Raccourci dans le menu Démarrer"
LangString SEC_DESKTOP ${LANG_FRENCH} "Raccourci sur le Bureau"
LangString SEC_ASSOCIATE ${LANG_FRENCH} "Ouvrir les questionnaires (.xlsx) dans FieldSurvey"
LangString DESC_PROGRAM ${LANG_FRENCH} "Le programme FieldSurvey, installé pour vous seul ; aucun droit d’administrateur n’est nécessaire."
LangString DESC_STARTMENU ${LANG_FRENCH} "Ajoute FieldSurvey au menu Démarrer."
LangString DESC_DESKTOP ${LANG_FRENCH} "Place un raccourci vers FieldSurvey sur le Bureau."
LangString DESC_ASSOCIATE ${LANG_FRENCH} "Ajoute l’action « Ouvrir dans FieldSurvey » aux questionnaires Excel (.xlsx). Excel reste le programme qui les ouvre par défaut."
LangString ASSOC_DESCRIPTION ${LANG_FRENCH} "Questionnaire FieldSurvey"
LangString VERB_OPEN ${LANG_FRENCH} "Ouvrir dans FieldSurvey"
LangString UNINSTALL_DATA_KEPT ${LANG_FRENCH} "Vos entretiens, questionnaires et réglages dans $LOCALAPPDATA\FieldSurvey ont été conservés."
