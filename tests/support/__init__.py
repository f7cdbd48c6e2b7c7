"""Test-only helpers: the Bot API over loopback HTTP, databases, the member-chat driver,
feature fixtures.
"""
