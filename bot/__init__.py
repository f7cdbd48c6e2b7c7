"""Innov'Deizh Telegram bot: wiring, configuration and entry points."""
