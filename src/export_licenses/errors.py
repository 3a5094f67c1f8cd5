"""One exception tree; each class carries the exit code the contract gives it.

The command layer translates these in one place (``cli.main``): a message on one
line to stderr and the class's exit code (sysexits), or 3 (UNKNOWN) for ``warn``.
"""

from __future__ import annotations


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


class InvalidValue(ValueError):
    """One field's value is wrong; raised by the model, located by the caller.

    The store turns it into ``InvalidStore`` naming the license and field, the
    command line into ``UsageProblem`` naming the option.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
