"""Track export licenses and warn before they expire."""
