"""The naive baseline every timing is compared with: pdfplumber's extract_tables() on every page."""
import sys

import pdfplumber

with pdfplumber.open(sys.argv[1]) as pdf:
    tables = sum(len(page.extract_tables()) for page in pdf.pages)
print(f"{tables} tables")
