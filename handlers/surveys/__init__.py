"""handlers/surveys."""
