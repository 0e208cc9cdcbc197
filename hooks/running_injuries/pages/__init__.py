"""Pages: the generated pages' Markdown from templates, and the markup, policy and search view the theme gets."""
