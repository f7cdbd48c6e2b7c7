"""Open data: the published catalogue as GeoJSON, CSV (Table Schema) and GoGoCarto JSON."""
