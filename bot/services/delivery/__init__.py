"""Delivery: everything sent to many chats goes through the outbox, once, at Telegram's pace;
organisers' announcements.
"""
