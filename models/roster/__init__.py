"""The roster: sites, rooms, people, their roles, credentials and chat accounts; the roster files."""
