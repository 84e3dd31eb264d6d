"""Plain value objects passed between the API layer, the operation and the platform backend."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NewAccount:
    """A validated request to register one learner."""

    username: str
    email: str
    name: str
    # None when the caller gave no password: the learner then chooses one from an email.
    password: str | None = None
    send_activation_email: bool = True

    @property
    def has_password(self):
        return self.password is not None

    @property
    def sends_activation_email(self):
        """Without a password the activation email is never sent: the set-password email replaces it."""
        return self.has_password and self.send_activation_email

    @property
    def is_active_at_creation(self):
        """Active only when a password was given and the caller vouches for the email address."""
        return self.has_password and not self.send_activation_email


@dataclass(frozen=True)
class IdempotencyKey:
    """A caller's ``Idempotency-Key`` and the fingerprint of the request it came with."""

    key: str
    fingerprint: str


@dataclass(frozen=True)
class RegisteredAccount:
    """The outcome of a registration."""

    user_id: int
    # Problems that did not undo the registration (an email that could not be sent).
    warnings: tuple[str, ...] = field(default_factory=tuple)
