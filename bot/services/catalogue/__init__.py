"""bot/services/catalogue."""
