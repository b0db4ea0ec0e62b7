"""Printable documents (票据、公示、表格): ReportLab renderers reading layouts from forms_templates/."""
