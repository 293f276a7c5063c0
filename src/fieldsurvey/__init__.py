"""FieldSurvey: offline survey data collection on XLSForm questionnaires."""

__version__ = "0.1.0"
APP_NAME = "FieldSurvey"
