"""SQLModel tables, migrations and the data functions that keep invariants."""
