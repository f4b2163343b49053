"""Cover: requests, shifts, offers and their history; the writes that keep its invariants, and its queries."""
