"""Editors' commands: ``make check``, ``make report``, ``make new-*`` and ``make schema``."""
