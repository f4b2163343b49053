"""The Slack adapter (slack-bolt): translate in and out; Block Kit lives only here."""
