"""datalek: composition root, settings and command line."""
