"""The content of the bundled questionnaires, as reviewable Python data.

``scripts/build_forms.py`` turns these modules into the XLSForm workbooks in ``forms/``.
"""
