"""Surveys in Telegram: answering with native polls, organisers' survey commands, results,
quick polls.
"""
