"""What the stand-ins did out of sight: tasks queued, analytics sent, services called, in order."""
calls = []
# Set per test: the platform's own lists of retired and secondary identities, and breached passwords.
retired_usernames = set()
retired_emails = set()
secondary_emails = set()
pwned_passwords = {}


def clear():
    for record in (calls, retired_usernames, retired_emails, secondary_emails, pwned_passwords):
        record.clear()
