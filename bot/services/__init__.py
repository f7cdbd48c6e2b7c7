"""The community's rules, free of Telegram types. Each service owns its transactions."""
