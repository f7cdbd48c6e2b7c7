"""bot/console."""
