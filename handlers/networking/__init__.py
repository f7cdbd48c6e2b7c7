"""Networking: /profil, /annuaire, introductions between members (bot/services/networking)."""
