"""Events in Telegram: the event card with RSVP, /evenements (/rencontres), /abonnements,
organisers' event commands.
"""
