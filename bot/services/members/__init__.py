"""bot/services/members."""
