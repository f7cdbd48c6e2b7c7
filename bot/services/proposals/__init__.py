"""bot/services/proposals."""
