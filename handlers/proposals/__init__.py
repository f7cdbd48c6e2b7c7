"""Proposals in Telegram: the /proposer dialogue and the moderators' cards."""
