"""The local console chat: the real Application answering a member typed at the terminal,
through a small in-process Bot API (no token, no network).
"""
