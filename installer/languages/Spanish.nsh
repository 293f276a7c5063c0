; Installer strings in Spanish (UTF-8). MUI2 supplies the standard page texts.

LangString SEC_PROGRAM ${LANG_SPANISH} "FieldSurvey (obligatorio)"
LangString SEC_STARTMENU ${LANG_SPANISH} "Acceso directo en el menú Inicio"
LangString SEC_DESKTOP ${LANG_SPANISH} "Acceso directo en el escritorio"
LangString SEC_ASSOCIATE ${LANG_SPANISH} "Abrir cuestionarios (.xlsx) con FieldSurvey"
LangString DESC_PROGRAM ${LANG_SPANISH} "El programa FieldSurvey, instalado solo para usted; no se necesitan derechos de administrador."
LangString DESC_STARTMENU ${LANG_SPANISH} "Añade FieldSurvey al menú Inicio."
LangString DESC_DESKTOP ${LANG_SPANISH} "Coloca un acceso directo a FieldSurvey en el escritorio."
LangString DESC_ASSOCIATE ${LANG_SPANISH} "Añade la acción «Abrir en FieldSurvey» a los cuestionarios de Excel (.xlsx). Excel sigue siendo el programa que los abre por defecto."
LangString ASSOC_DESCRIPTION ${LANG_SPANISH} "Cuestionario de FieldSurvey"
LangString VERB_OPEN ${LANG_SPANISH} "Abrir en FieldSurvey"
LangString UNINSTALL_DATA_KEPT ${LANG_SPANISH} "Sus entrevistas, cuestionarios y ajustes en $LOCALAPPDATA\FieldSurvey se han conservado."
