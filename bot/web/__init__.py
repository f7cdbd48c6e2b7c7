"""The bot's one HTTP server and the pages it serves (each module gives its ``routes``)."""
