"""Catalogue in Telegram: /labs, /innovations, cards edited in place, near me, QR codes."""
