"""bot/services/privacy."""
