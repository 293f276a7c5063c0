"""Dialogs of the main window: settings, export, merge, sync, backups."""
