"""Intake: the journal of updates received, so a member's message is never lost."""
