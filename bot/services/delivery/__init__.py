"""bot/services/delivery."""
