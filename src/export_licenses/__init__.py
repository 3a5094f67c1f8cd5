"""Track export licenses and warn before they expire."""

__version__ = "0.1.0"
