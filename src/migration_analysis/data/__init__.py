"""The data layer: the schema (tables, kinds, values and their meanings), validation, typed loading,
the build from raw to processed, and the Frictionless descriptor. Nothing here imports the analysis
or the charts, except the build, which computes the derived tables."""
