"""Proposals: the guided dialogue that proposes an initiative, its draft, and moderation."""
