; Installer strings in Russian (UTF-8). MUI2 supplies the standard page texts.

LangString SEC_PROGRAM ${LANG_RUSSIAN} "FieldSurvey (обязательно)"
LangString SEC_STARTMENU ${LANG_RUSSIAN} "Ярлык в меню «Пуск»"
LangString SEC_DESKTOP ${LANG_RUSSIAN} "Ярлык на рабочем столе"
LangString SEC_ASSOCIATE ${LANG_RUSSIAN} "Открывать анкеты (.xlsx) в FieldSurvey"
LangString DESC_PROGRAM ${LANG_RUSSIAN} "Программа FieldSurvey, устанавливается только для вас; права администратора не нужны."
LangString DESC_STARTMENU ${LANG_RUSSIAN} "Добавляет FieldSurvey в меню «Пуск»."
LangString DESC_DESKTOP ${LANG_RUSSIAN} "Создаёт ярлык FieldSurvey на рабочем столе."
LangString DESC_ASSOCIATE ${LANG_RUSSIAN} "Добавляет к анкетам Excel (.xlsx) команду «Открыть в FieldSurvey». По умолчанию их по-прежнему открывает Excel."
LangString ASSOC_DESCRIPTION ${LANG_RUSSIAN} "Анкета FieldSurvey"
LangString VERB_OPEN ${LANG_RUSSIAN} "Открыть в FieldSurvey"
LangString UNINSTALL_DATA_KEPT ${LANG_RUSSIAN} "Ваши интервью, анкеты и настройки в $LOCALAPPDATA\FieldSurvey сохранены."
