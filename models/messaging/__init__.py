"""The plumbing every feature shares: conversation state, the outbox, the inbox and due tasks."""
