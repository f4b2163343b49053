"""Surveys: runs, invitations and answers; their writes and queries."""
