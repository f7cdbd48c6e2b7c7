"""Leadership (ha mode): one instance at a time holds the lease and serves Telegram."""
