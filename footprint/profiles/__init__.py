"""SDF profiles: one HTML page per Service Delivery Footprint and a borough overview,
rendered from the published marts, opening offline from files (see render.py)."""
