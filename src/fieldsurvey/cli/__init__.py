"""The command line: ``fieldsurvey [--data-dir DIR] COMMAND ...``.

Each ``*_cmd`` module registers its commands; all call the same core functions as the GUI.
"""
