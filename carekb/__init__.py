"""The plain core: fact model, validation and rendering. Nothing here imports mkdocs."""
