"""The console adapter: a third host of the same handlers, and our fastest manual test."""
