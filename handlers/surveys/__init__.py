"""Surveys in chat: definitions (YAML), answering one question at a time, sending, reminders, results."""
