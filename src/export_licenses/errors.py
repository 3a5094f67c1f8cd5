"""One exception tree; each class carries the exit code the contract gives it.

The command layer translates these in one place (``cli.failures``): a message
on one line to stderr and the class's exit code (sysexits), or 3 (UNKNOWN) for
``warn``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


class LicensesError(Exception):
    """Base of every failure a user can cause or meet.

    The message is one line. ``details`` are further lines for the rare failure
    that must list several things (each bad row of an import).
    """

    exit_code = 70  # EX_SOFTWARE: only for subclasses that forget to set one

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details


class UsageProblem(LicensesError):
    """The command line is wrong: bad date, unknown country, unknown id, ..."""

    exit_code = 64


class FieldProblem(UsageProblem):
    """A value given for one or more fields is wrong (exit 64).

    The service names fields, not options: the command line turns each field into
    the option (or argument) that set it, in one place, for the message. A field
    may carry the value typed for it: ``unset=number`` is ``--unset number``.
    """

    def __init__(self, fields: tuple[str, ...] | str, message: str) -> None:
        self.fields = (fields,) if isinstance(fields, str) else fields
        self.message = message
        super().__init__(self.worded(lambda field: field))

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with each field called what ``name`` calls it."""
        names = [
            f"{name(field)} {typed}" if typed else name(field)
            for field, _, typed in (field.partition("=") for field in self.fields)
        ]
        if len(names) == 1:
            return f"{names[0]}: {self.message}"
        return f"{' and '.join(names)} {self.message}"

    @classmethod
    def of(cls, exc: InvalidValue) -> FieldProblem:
        return cls(exc.field, exc.message)


class InvalidStore(LicensesError):
    """The store file is not valid TOML or its content breaks a rule."""

    exit_code = 65


class NoStore(LicensesError):
    """There is no store at the path (for commands that read one)."""

    exit_code = 66


class CannotCreateStore(LicensesError):
    """The store (or its folder) cannot be created."""

    exit_code = 73


class StoreIOError(LicensesError):
    """Reading or writing the store failed."""

    exit_code = 74


class StoreLocked(LicensesError):
    """Another writer holds the lock past the timeout: try again."""

    exit_code = 75


class GitProblem(LicensesError):
    """git refused (no author, not a repository, a failed commit): exit 73, the
    store's change could not be recorded, so it was not made."""

    exit_code = 73


class GitUnavailable(LicensesError):
    """The git command is not installed: only the git features need it."""

    exit_code = 69


class RemoteUnreachable(LicensesError):
    """sync could not reach the remote: nothing was lost locally; try again."""

    exit_code = 75


class ServiceUnreachable(LicensesError):
    """notify could not reach a notification service: what it held back is
    sent on the next run (EX_TEMPFAIL)."""

    exit_code = 75


class ShownAfterWrite(LicensesError):
    """A write landed, and working out what to show of it failed afterwards:
    the message says the store holds the change, so that nobody runs the
    command again and records it twice. The code is the failure's."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class MergeConflict(LicensesError):
    """Both sides changed the same thing differently: the list is in details."""

    exit_code = 65


class InvalidValue(ValueError):
    """One field's value is wrong; raised by the model, located by the caller.

    The store turns it into ``InvalidStore`` naming the license and field, the
    command line into ``UsageProblem`` naming the option.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for an interrupted command


def by_ctrl_c(exc: BaseException) -> bool:
    """Whether ``exc`` is a Ctrl-C that Python wrapped on its way out: the
    handler's SystemExit(130), raised inside a descriptor's ``__set_name__``
    during an import, arrives as a RuntimeError caused by it."""
    seen: BaseException | None = exc
    for _ in range(10):  # a chain is short; never loop on a cycle
        if seen is None:
            return False
        if isinstance(seen, SystemExit) and seen.code == INTERRUPTED:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
