"""Queries, one module per feature. Repositories flush, never commit: services own transactions."""
