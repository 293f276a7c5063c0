; Installer strings in English (UTF-8). MUI2 supplies the standard page texts.

LangString SEC_PROGRAM ${LANG_ENGLISH} "FieldSurvey (required)"
LangString SEC_STARTMENU ${LANG_ENGLISH} "Start menu shortcut"
LangString SEC_DESKTOP ${LANG_ENGLISH} "Desktop shortcut"
LangString SEC_ASSOCIATE ${LANG_ENGLISH} "Open questionnaires (.xlsx) in FieldSurvey"
LangString DESC_PROGRAM ${LANG_ENGLISH} "The FieldSurvey program, installed for you only; no administrator rights needed."
LangString DESC_STARTMENU ${LANG_ENGLISH} "Adds FieldSurvey to the Start menu."
LangString DESC_DESKTOP ${LANG_ENGLISH} "Puts a FieldSurvey shortcut on the desktop."
LangString DESC_ASSOCIATE ${LANG_ENGLISH} "Adds an ‘Open in FieldSurvey’ action to Excel questionnaires (.xlsx). Excel remains the program that opens them by default."
LangString ASSOC_DESCRIPTION ${LANG_ENGLISH} "FieldSurvey questionnaire"
LangString VERB_OPEN ${LANG_ENGLISH} "Open in FieldSurvey"
LangString UNINSTALL_DATA_KEPT ${LANG_ENGLISH} "Your interviews, questionnaires and settings in $LOCALAPPDATA\FieldSurvey have been kept."
