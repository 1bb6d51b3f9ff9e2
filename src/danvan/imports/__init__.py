"""Spreadsheet import: reading uploaded tables and mapping their columns to an importer's fields.

This first part is pure Python (no models): ``tabular`` reads XLSX/CSV uploads within size and
row limits, ``mapping`` declares an importer's target fields and maps sheet headers onto them
accent-insensitively. The job model, flow pages and the all-or-nothing runner build on these.
"""
