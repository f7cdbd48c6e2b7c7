"""Health: what /readyz and /metrics report of the database, the outbox, intake and the lease."""
