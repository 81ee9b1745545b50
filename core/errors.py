"""Domain errors. Each carries a message in Indonesian and English and, where it is about
one input, the name of that field; api/ and bot/ turn them into their own answers."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message_id: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en
        self.field = field

    def message(self, language: str = "id") -> str:
        return self.message_en if language == "en" else self.message_id


class InvalidInput(DomainError):
    """A value from outside breaks a rule of the domain."""


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    """The actor may not do this to this report."""


class Conflict(DomainError):
    """The thing acted on is not in a state that allows this (answered 409)."""


class IllegalTransition(Conflict):
    """The report is not in a state that allows this action."""

    def __init__(self, *, action: str, status: str) -> None:
        super().__init__(
            f"Laporan berstatus '{status}' tidak dapat di-{action}.",
            f"A report in status '{status}' cannot be {action}d.",
        )
        self.action = action
        self.status = status
