"""Version 1 (deprecated): the Tahoe API as existing integrations call it."""
