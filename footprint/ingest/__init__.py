"""Ingestion: deliveries in landing/ validated against their contracts, pseudonymised
and loaded into raw.<organisation>__<feed>, with bad rows quarantined and every file
recorded in raw.load_manifest."""
