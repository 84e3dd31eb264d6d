"""Tahoe Registration API: register learners into an Open edX site from another system."""

__version__ = "0.1.0"
