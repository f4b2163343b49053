"""The Telegram adapter (python-telegram-bot): translate in and out; keyboards live only here."""

import os

# Opt in to PTB's coming behaviour (durations as timedelta), so RetryAfter does not warn on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "true")
