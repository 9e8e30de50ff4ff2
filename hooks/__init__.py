"""Project Python: MkDocs hook adapters (this folder) and the plain core (carekb)."""
