"""Content: read the editors' files, model them, and collect every problem with file, line and field."""
