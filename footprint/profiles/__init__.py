"""SDF profiles: one self-contained HTML page per Service Delivery Footprint and a
borough overview, rendered from the published marts (see render.py)."""
