"""Content problems as data: each names its file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content.

    ``path`` is relative to the project root (``content/conditions/x.md``), ``line`` is 1-based
    (0 when the problem is about the file as a whole), ``field`` is the dotted path of the
    front-matter field (``symptoms[2].id``) or an empty string.
    """

    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{what}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command (an annotation on the line)."""
        kind = "warning" if self.severity is Severity.WARNING else "error"
        message = _escape_data(f"{self.field}: {self.message}" if self.field else self.message)
        # A property also ends at ',' and ':', which a file name may contain.
        path = _escape_data(self.path).replace(":", "%3A").replace(",", "%2C")
        return f"::{kind} file={path},line={max(self.line, 1)}::{message}"


def _escape_data(text: str) -> str:
    """Escape text for a GitHub Actions workflow command (``%``, CR and LF end it otherwise)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class Problems:
    """Collects problems from every step, so that all are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, field_name: str, message: str, *,
            severity: Severity = Severity.ERROR) -> None:
        self.items.append(Problem(path, line, field_name, message, severity))

    def warn(self, path: str, line: int, field_name: str, message: str) -> None:
        self.add(path, line, field_name, message, severity=Severity.WARNING)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self.items)))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]

