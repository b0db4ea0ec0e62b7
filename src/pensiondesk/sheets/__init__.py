"""Spreadsheet import (python-calamine) and export (openpyxl) of the county's rosters (花名册)."""
