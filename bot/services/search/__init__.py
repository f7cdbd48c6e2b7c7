"""bot/services/search."""
