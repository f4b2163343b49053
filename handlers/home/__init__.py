"""A person's Slack Home tab: drawn from the views the chat shows (view.py), for an account that may not be linked
yet (account.py), and asked to be redrawn, throttled, when something of hers changes (republish.py)."""
