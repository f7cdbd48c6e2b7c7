"""handlers/search."""
