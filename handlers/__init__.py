"""Conversations, platform-neutral: a typed incoming message in, replies (values) and domain calls out."""
