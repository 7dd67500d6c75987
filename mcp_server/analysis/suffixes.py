"""Which files the engine reads as Django templates. A module of its own: listing files (files.py) must not load the
template parser, and the parser (templates.py) must not import the lister, which loads it."""

TEMPLATE_SUFFIXES = (".html", ".htm", ".txt", ".xml")
