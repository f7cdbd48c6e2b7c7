"""Search in Telegram: /chercher, plain text in private, and inline mode."""
