"""Faults of configuration, usage or input, raised as exceptions.

Problems *in the data* are not exceptions: they become finding records (see
``rules/findings.yaml``). These exceptions are for what stops a run or a
document: a bad rule file, a file that cannot be read."""
from __future__ import annotations


class ExtractError(Exception):
    """Base class of the errors the CLI turns into one line on stderr."""

    exit_code = 1


class RuleError(ExtractError):
    """A rule file is malformed; names the file and the rule id."""

    exit_code = 3

    def __init__(self, file: str, rule_id: str, reason: str):
        self.file, self.rule_id, self.reason = file, rule_id, reason
        super().__init__(f"{file}: rule {rule_id!r}: {reason}")


class InputError(ExtractError):
    """A document cannot be read; the batch goes on without it."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


class UsageError(ExtractError):
    exit_code = 2


class NotAnOutputFolder(UsageError, ValueError):
    """The output folder named is something a run must not replace (a file,
    a symbolic link, the current folder, a folder with sub-folders)."""


class OutputError(UsageError, OSError):
    """The output could not be written (a full or read-only file system, no
    permission, a folder that does not exist); the previous output is left as
    it was. An ``OSError`` too, with the ``errno`` of the failure."""

    def __init__(self, message: str, code: int | None = None):
        OSError.__init__(self, code, message)
        self.message = message

    def __str__(self) -> str:
        return self.message
