"""Reflective supervision: supervisors publish sessions, teachers book them, and each booking books its own
classroom cover through the cover service (docs/supervision.md)."""
