"""Expected problems: the message reaches the person, and nothing the step wrote is kept."""

from __future__ import annotations

from handlers.i18n import Msg, _


class UserError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message


# What every adapter's catch-all says when something unexpected failed: the transaction was rolled back whole.
APOLOGY = _("Sorry, something went wrong on our side and nothing was saved. Please try again in a minute.")
# A button whose moment has passed, or a payload nobody sent: the one kind answer.
STALE_BUTTON = _("That button is no longer active. Send /help to start again.")
