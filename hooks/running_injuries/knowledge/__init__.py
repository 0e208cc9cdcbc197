"""Knowledge: what the content says across files: the symptom index and similar conditions, citations, reading grades."""
