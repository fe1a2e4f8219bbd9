"""The built-in plugins: the report's model and the catalogue, registered like any other plugin."""
