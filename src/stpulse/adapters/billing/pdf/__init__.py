"""PDF documents (invoices) rendered with fpdf2 and bundled DejaVu fonts."""
