"""Exit statuses and the one exception type that carries a user's mistake to the shell.

Every layer raises :class:`InputError` with a sentence that names the bad value and what
is accepted; only the CLI turns it into a line on stderr and a non-zero exit status, so
the core stays free of I/O and a traceback never reaches a user.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """The process exit statuses, one meaning each, so scripts can branch on them."""

    OK = 0
    #: the command ran but the answer is "no": an order that does not match, a failed screen,
    #: a batch with rows that could not be planned.
    NOT_OK = 1
    #: the input was unusable: a bad value, a missing option, an unreadable file.
    INPUT_ERROR = 2
    #: the screen could not decide because answers are missing.
    UNDECIDED = 3
    #: interrupted by the user (Ctrl-C), as shells report SIGINT.
    INTERRUPTED = 130
    #: standard output was closed before the whole answer was written (``| head`` stopped reading),
    #: as shells report a command ended by SIGPIPE: never 0, 1 or 3, whose answer must be whole.
    OUTPUT_CLOSED = 141


class InputError(ValueError):
    """A value the user gave cannot be used; the message is shown as it is, on one line.

    Given a :class:`~ivig_dose.core.messages.Message`, it keeps it, so that the shell can say it
    in the user's language (:attr:`said`); :attr:`message` is always the English line.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
        #: the message as made: a Message when it can be translated, else the text.
        self.said = message

    @property
    def message(self) -> str:
        return str(self.args[0])


class Terminated(Exception):
    """The process was asked to stop (SIGTERM, SIGHUP) while writing a file: raised from the signal
    handler so that the temporary file is removed on the way out, as after a Ctrl-C."""

    def __init__(self, signum: int, name: str) -> None:
        super().__init__(name)
        self.signum = signum
        self.name = name
