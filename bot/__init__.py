"""The edges: settings, CLI, server and the chat-platform adapters."""
