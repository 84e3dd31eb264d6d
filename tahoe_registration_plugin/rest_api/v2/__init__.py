"""Version 2: v1's successor, with a fixed success key and specific conflict messages."""
