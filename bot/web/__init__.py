"""The bot's one HTTP server and its routes."""
