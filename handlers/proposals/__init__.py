"""handlers/proposals."""
