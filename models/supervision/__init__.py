"""Reflective supervision: the sessions supervisors publish, the teachers' bookings, and the cover each books."""
