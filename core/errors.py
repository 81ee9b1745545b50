"""Domain errors. Each carries a msgid of the i18n catalogue (Indonesian, marked with N_) and
its values, and where it is about one input, the name of that field; api/ and bot/ show
`message(language)` in their own answers."""

from __future__ import annotations

from i18n import N_, Text, gettext


class DomainError(Exception):
    def __init__(self, msgid: str, *, field: str | None = None, **values: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.values = values
        self.field = field

    def message(self, language: str = "id") -> str:
        # A text may name the field it is about: `%(field)s`.
        return gettext(language, self.msgid, field=self.field, **self.values)

    def __str__(self) -> str:
        # Logs and the command line read English.
        return self.message("en")


class InvalidInput(DomainError):
    """A value from outside breaks a rule of the domain."""


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    """The actor may not do this to this report."""


class Conflict(DomainError):
    """The thing acted on is not in a state that allows this (answered 409)."""


class IllegalTransition(Conflict):
    """The report is not in a state that allows this action. The names of the action and of
    the status are msgids of core/reports' tables (this kernel module reads none of them)."""

    def __init__(self, *, action: str, status: str, action_name: str, status_name: str) -> None:
        super().__init__(
            N_("Laporan berstatus '%(status)s' tidak dapat %(action)s."),
            status=Text(status_name),
            action=Text(action_name),
        )
        self.action = action
        self.status = status
