"""
The plugin's second operation: enroll or unenroll a site's learners in its courses (CONTRACT §10).

The REST view validates the request's shape, then calls ``change_enrollments``. Everything a call
does (enrollments, unenrollments, pre-enrollments, the audit records, the Idempotency-Key record)
is written in one transaction: every outcome in the answer happened, or none did; what the
platform sends meanwhile waits for the commit, and the emails the caller asked for are handed
over after it (docs/decisions/0013-enrollments-endpoint.rst).
"""
import uuid

from django.db import IntegrityError

from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.conf import api_settings
from tahoe_registration_plugin.data import (
    Enrollment,
    EnrollmentChange,
    EnrollmentChanges,
    EnrollmentNotice,
    EnrollmentResult,
)
from tahoe_registration_plugin.enrollments import SiteCourses
from tahoe_registration_plugin.errors import IdempotencyKeyReused, InvalidAccount, InvalidEnrollment
from tahoe_registration_plugin.handover import HandOverPending, hand_over
from tahoe_registration_plugin.learners import SiteLearners, comparable, is_email, matching, stored_email
from tahoe_registration_plugin.logs import get_logger
from tahoe_registration_plugin.models import EnrollmentRecord, IdempotencyRecord, same_body
from tahoe_registration_plugin.transactions import in_one_transaction

log = get_logger(__name__)

ENROLLED, ALREADY_ENROLLED, PRE_ENROLLED = "enrolled", "already_enrolled", "pre_enrolled"
UNENROLLED, NOT_ENROLLED, PRE_ENROLLMENT_REMOVED = "unenrolled", "not_enrolled", "pre_enrollment_removed"
UNKNOWN_LEARNER = "unknown_learner"
EMAILS_NOT_SENT_WARNING = "Every change was made, but {count} of the enrollment emails could not be sent."
EMAILS_PENDING_WARNING = (
    "Every change was made; the enrollment emails were still being handed over to the mail server and may not arrive."
)
REFUSED_MSG = "Learner {learner} ({course_id}): {problem}"
# A call that a concurrent one beat to the same row (the database refused a duplicate) is read and made again.
CONFLICT_ATTEMPTS = 3


def change_enrollments(change, *, site, api_key, idempotency_key=None):
    """
    Enroll or unenroll each of ``change.learners`` in each of ``change.courses`` on ``site``.

    Args:
        change (data.EnrollmentChange): the validated request.
        site (Site): the site whose learners and courses the call acts on.
        api_key (models.ApiKey): the caller's key (recorded in the audit trail).
        idempotency_key (data.IdempotencyKey): the caller's retry key, if any: a call this key
            already made with it and the same body is answered again, changing nothing.

    Returns:
        data.EnrollmentChanges: one result per (learner, course), learner by learner, and warnings.

    Raises:
        InvalidAccount: a course is not the site's, listed twice, or lacks the mode; or the
            platform refused one change (nothing was changed).
        IdempotencyKeyReused: the Idempotency-Key came with another body before.
        PlatformUnavailable: the platform backend cannot be loaded.
        DatabaseError: the database failed; nothing was changed.
    """
    if idempotency_key is not None:
        previous = _previous_call(api_key, idempotency_key)
        if previous is not None:
            return previous
    backend = get_platform_backend()
    course_keys = _site_course_keys(backend, site, change)
    learners = SiteLearners(backend, site).find_many(change.learners)
    call_id = uuid.uuid4()

    def write():
        results, notices = _apply(backend, change, course_keys, learners)
        EnrollmentRecord.objects.record(site=site, api_key=api_key, call_id=call_id, action=change.action,
                                        results=results)
        if idempotency_key is not None:
            IdempotencyRecord.objects.record(api_key=api_key, idempotency_key=idempotency_key,
                                             enrollment_call=call_id)
        return results, notices

    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            results, notices = in_one_transaction(write, "Enrollments")
            break
        except IntegrityError:
            # The same Idempotency-Key, sent twice at once: the other call's answer is this one's.
            previous = idempotency_key and _previous_call(api_key, idempotency_key)
            if previous:
                return previous
            # A concurrent call made the same (pre-)enrollment first: read again, it is there now.
            if attempt == CONFLICT_ATTEMPTS:
                raise
            log.warning("Enrollments call %s met a concurrent one (attempt %s); reading again.", call_id, attempt)
    log.info("Enrollments call %s on site %s with key %s: %s results.", call_id, site.domain, api_key.prefix,
             len(results))
    warnings = _send_emails(backend, site, notices) if change.email_learners and notices else ()
    return EnrollmentChanges(change.action, tuple(results), warnings)


def _site_course_keys(backend, site, change):
    """The courses as stored, each with the mode to enroll in; a 400 naming each course refused."""
    requested = [Enrollment(course_key, change.mode) for course_key in change.course_keys]
    enrollments, problems = SiteCourses(backend, site).resolve(requested)
    if problems:
        raise InvalidAccount({"courses": problems})
    return enrollments


def _apply(backend, change, enrollments, learners):
    """Plan each (learner, course) on the state read in the transaction, then make the changes."""
    state = _State(backend, [enrollment.course_key for enrollment in enrollments], learners.values(),
                   [comparable(name) for name in change.learners if is_email(name) and name not in learners])
    results, notices = [], []
    for learner in change.learners:
        user = learners.get(learner)
        for enrollment in enrollments:
            plan = _enroll if change.action == EnrollmentChange.ENROLL else _unenroll
            result, notice = plan(backend, state, change, learner, user, enrollment)
            results.append(result)
            if notice is not None:
                notices.append(notice)
    try:
        state.write()
    except InvalidEnrollment as refusal:
        learner = next(name for name in change.learners if learners.get(name) == refusal.user)
        raise InvalidAccount({"learners": [REFUSED_MSG.format(
            learner=learner, course_id=refusal.course_key, problem=refusal.message or "the site refused it.",
        )]}) from refusal
    return results, notices


def _enroll(backend, state, change, learner, user, enrollment):
    course_key = enrollment.course_key
    if user is not None:
        mode = state.active_mode(user, course_key)
        if mode is not None:
            return EnrollmentResult(learner, course_key, ALREADY_ENROLLED, user.pk, mode), None
        state.enroll(user, enrollment)
        notice = EnrollmentNotice("enrolled_enroll", user.email, course_key, user=user)
        return EnrollmentResult(learner, course_key, ENROLLED, user.pk, enrollment.mode), notice
    email = stored_email(learner) if is_email(learner) else None
    if email is None or not change.auto_enroll or backend.is_email_retired(email):
        return EnrollmentResult(learner, course_key, UNKNOWN_LEARNER), None
    email = state.allow(email, course_key)
    notice = EnrollmentNotice("allowed_enroll", email, course_key, auto_enroll=True)
    return EnrollmentResult(learner, course_key, PRE_ENROLLED), notice


def _unenroll(backend, state, change, learner, user, enrollment):  # pylint: disable=unused-argument
    course_key = enrollment.course_key
    email = user.email if user is not None else (stored_email(learner) if is_email(learner) else None)
    removed_allowed = email is not None and state.disallow(email, course_key)
    if user is not None:
        mode = state.active_mode(user, course_key)
        if mode is not None:
            state.unenroll(user, course_key)
            notice = EnrollmentNotice("enrolled_unenroll", user.email, course_key, user=user)
            return EnrollmentResult(learner, course_key, UNENROLLED, user.pk, mode), notice
    user_id = user.pk if user is not None else None
    if removed_allowed:
        notice = EnrollmentNotice("allowed_unenroll", email, course_key, user=user)
        return EnrollmentResult(learner, course_key, PRE_ENROLLMENT_REMOVED, user_id), notice
    return EnrollmentResult(learner, course_key, NOT_ENROLLED if user is not None else UNKNOWN_LEARNER, user_id), None


class _State:
    """
    The enrollments and pre-enrollments a call may change, read in a few queries in its
    transaction, and the changes planned on them (a learner named twice sees the first change).
    """

    def __init__(self, backend, course_keys, users, emails):
        self.backend = backend
        users, emails = list(users), {email for email in emails if email}
        self.active = {
            (user_id, str(course_id)): mode for user_id, course_id, mode in backend.enrollment_rows().filter(
                user__in=[user.pk for user in users], course_id__in=course_keys, is_active=True,
            ).values_list("user_id", "course_id", "mode")
        } if users else {}
        emails |= {user.email.lower() for user in users}
        # {(address lower-cased, course): the address as stored}
        self.allowed = {
            (email.lower(), str(course_id)): email for email, course_id in matching(
                backend.allowed_rows().filter(course_id__in=course_keys), "email", emails,
            ).values_list("email", "course_id")
        } if emails else {}
        self.to_enroll, self.to_unenroll, self.to_allow, self.to_disallow = [], [], [], []

    def active_mode(self, user, course_key):
        return self.active.get((user.pk, str(course_key)))

    def enroll(self, user, enrollment):
        self.active[(user.pk, str(enrollment.course_key))] = enrollment.mode
        self.to_enroll.append((user, enrollment))

    def unenroll(self, user, course_key):
        del self.active[(user.pk, str(course_key))]
        self.to_unenroll.append((user, course_key))

    def allow(self, email, course_key):
        """Plan the pre-enrollment of ``email`` (as a registration stores it); return the address it is kept under."""
        stored = self.allowed.setdefault((email.lower(), str(course_key)), email)
        self.to_allow.append((stored, course_key))
        return stored

    def disallow(self, email, course_key):
        """Plan the removal of the pre-enrollment of ``email``, if there is one; whether there was."""
        stored = self.allowed.pop((email.lower(), str(course_key)), None)
        if stored is None:
            return False
        self.to_disallow.append((stored, course_key))
        return True

    def write(self):
        if self.to_enroll:
            self.backend.enroll_many(self.to_enroll)
        if self.to_unenroll:
            self.backend.unenroll_many(self.to_unenroll)
        if self.to_allow:
            self.backend.allow_many(self.to_allow, auto_enroll=True)
        if self.to_disallow:
            self.backend.disallow_many(self.to_disallow)


def _send_emails(backend, site, notices):
    """Hand the emails over after the commit, waiting a bounded time; warnings, if the caller needs any."""
    failures = []

    def send_all():
        for position, notice in enumerate(notices, start=1):
            try:
                backend.send_enrollment_email(site, notice)
            except Exception:  # pylint: disable=broad-except
                log.exception("Could not send enrollment email %s of %s (%s).", position, len(notices),
                              notice.message_type)
                failures.append(position)

    try:
        hand_over(send_all, wait_seconds=api_settings.email_wait_seconds, what="send the enrollment emails")
    except HandOverPending:
        return (EMAILS_PENDING_WARNING,)
    return (EMAILS_NOT_SENT_WARNING.format(count=len(failures)),) if failures else ()


def _previous_call(api_key, idempotency_key):
    """The answer of the call this key already made with this Idempotency-Key, or None."""
    previous = IdempotencyRecord.objects.current(api_key, idempotency_key.key)
    if previous is None:
        return None
    if previous.enrollment_call is None or not same_body(previous.fingerprint, idempotency_key.body):
        raise IdempotencyKeyReused()
    records = list(EnrollmentRecord.objects.of_call(previous.enrollment_call))
    return EnrollmentChanges(records[0].action if records else "", tuple(
        EnrollmentResult(record.learner, record.course_id, record.status, record.user_id, record.mode or None)
        for record in records
    ))
