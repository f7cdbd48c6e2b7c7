"""The bot's one web server (tornado): Telegram's webhook, health, metrics, open data, feeds.

``server.py`` holds the route table and the server's life; each route's handlers live in their
own module. The server can listen before the Application exists (ha mode: a standby serves
health, metrics and open data too) and learns what this instance does from its :class:`Role`.
"""
