"""The outbox dispatcher: the only code that sends to a platform."""
