"""Spreadsheet adapters (xlsxwriter for writing, python-calamine for reading)."""
