"""pytest configuration for the documentation: the pages' examples run as doctests."""

# conf.py is Sphinx's configuration, not a test module; importing it would write build files.
collect_ignore = ["conf.py"]
