"""Members: who is talking to the bot, their language and their role."""
