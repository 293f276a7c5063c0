"""The PySide6 desktop application. Only this package (and ``fieldsurvey.i18n``'s Qt
adapter) imports Qt."""
