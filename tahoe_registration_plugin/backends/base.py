"""The interface every platform backend implements."""


class PlatformBackend:
    """
    Create accounts and send their emails the way the platform does.

    ``api.register_user`` calls these in order: ``find_conflicts`` and ``validate`` before the
    transaction, ``create_account`` inside it, then ``announce_registration`` and one of the two
    email methods after commit.
    """

    def get_site_value(self, site, name, default):
        """
        ``name`` as configured for ``site`` (in the LMS: its site configuration), else ``default``.
        """
        raise NotImplementedError

    def validate(self, account):
        """
        Apply the platform's own rules (username characters and length, password policy).

        Returns ``{field: [message, ...]}``, empty when the account is acceptable.
        """
        raise NotImplementedError

    def find_conflicts(self, account):
        """The names of the fields (``username``, ``email``) already taken, case-insensitively."""
        raise NotImplementedError

    def create_account(self, request, site, account):
        """
        Create the user, its profile and what ties it to ``site``; return the user.

        Runs inside the caller's transaction. Raises ``AccountConflict`` or ``InvalidAccount``
        when the platform refuses the account, or lets a database error propagate.
        """
        raise NotImplementedError

    def announce_registration(self, request, site, user):
        """Tell the rest of the platform that ``user`` registered (signals, events), once committed."""
        raise NotImplementedError

    def send_activation_email(self, request, site, user):
        """Send the email whose link activates the account."""
        raise NotImplementedError

    def send_set_password_email(self, request, site, user):
        """Send the email whose link lets the learner choose a password (and activates the account)."""
        raise NotImplementedError
