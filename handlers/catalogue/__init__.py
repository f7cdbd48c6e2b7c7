"""handlers/catalogue."""
