"""handlers/events."""
