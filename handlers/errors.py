"""Expected problems: the message reaches the person, and nothing the step wrote is kept."""

from __future__ import annotations

from handlers.i18n import Msg


class UserError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message
