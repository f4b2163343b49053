"""The Telegram adapter (python-telegram-bot): translate in and out; keyboards live only here."""
