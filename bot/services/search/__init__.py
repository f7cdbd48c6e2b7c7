"""Search: labs, innovations, events and FAQ together, forgiving accents, endings and typos."""
