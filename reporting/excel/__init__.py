"""A unit's report through Excel, in four steps, one module each.

template writes the workbook pre-filled with what is saved; upload reads a filled one
back with every check and never saves; preview says what confirming it would change;
storage keeps the checked upload in the session between the preview and the
confirmation. reporting/excel_views.py runs them in that order, and the confirmation
saves through services.report_save like the form does.
"""
