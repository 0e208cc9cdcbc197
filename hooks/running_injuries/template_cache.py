"""Compiled Jinja templates, kept in a temporary folder for the life of the process that made it.

Compiling the theme's templates takes a build about a quarter of a second. The build's second
process (``mkdocs_theme_split``) is forked before they are first compiled; with this cache it loads
the code the build compiled meanwhile instead of compiling the same templates again, and each
rebuild of one ``mkdocs serve`` loads what the first build compiled. It changes no output.

Jinja stores each template's code with a checksum of its source and compiles a template again
when its source changed. The key of each entry also holds the environment's settings that shape
the compiled code (its syntax, whitespace rules, escaping and extensions), so an environment with
other settings never loads code compiled for another.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile

import jinja2


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, with the environment's settings in each key."""

    def __init__(self, directory: str, settings: str) -> None:
        super().__init__(directory)
        self.settings = settings

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.settings}\0{name}", filename)


def template_cache(environment: jinja2.Environment) -> TemplateCache:
    """A cache for ``environment``'s compiled templates, in this process's temporary folder."""
    return TemplateCache(_folder(), settings(environment))


def settings(environment: jinja2.Environment) -> str:
    """A digest of what, besides a template's source, decides the code Jinja compiles for it."""
    parts = [
        jinja2.__version__,
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        str(environment.line_statement_prefix), str(environment.line_comment_prefix),
        str(environment.trim_blocks), str(environment.lstrip_blocks),
        environment.newline_sequence, str(environment.keep_trailing_newline),
        repr(environment.autoescape), repr(environment.finalize),
        str(environment.optimized), str(environment.is_async),
        *sorted(environment.extensions),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@functools.cache
def _folder() -> str:
    # Removed when the process that made it exits (a forked process leaves it to its parent).
    folder = tempfile.TemporaryDirectory(prefix="running-injuries-templates-")
    _FOLDERS.append(folder)
    return folder.name


_FOLDERS: list[tempfile.TemporaryDirectory[str]] = []
