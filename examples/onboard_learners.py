#!/usr/bin/env python
"""
Onboard learners into a site's courses through the Tahoe Registration API (v2), as an integration does.

    TAHOE_API_USER_KEY=<key> python examples/onboard_learners.py --host http://127.0.0.1:8000 \\
        --course course-v1:LocalX+Onboarding+2026 alex@example.com new.hire@example.com

It lists the site's courses (scope ``read``) and checks that each course asked for is one of them,
looks each learner up by email (``read``), then enrolls them all in one call (``enroll``): a
learner without an account yet is pre-enrolled, and enrolled once their account is activated. It
sends an ``Idempotency-Key``, so running it again after a network error changes nothing twice.
With ``--unenroll`` it unenrolls them instead. It needs only Python's standard library.
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid


class Api:
    """The site's API with one key: JSON in, JSON out."""

    def __init__(self, host, key):
        self.root, self.key = f"{host.rstrip('/')}/tahoe/api/v2/", key

    def call(self, method, path, body=None, headers=None):
        """``(status, decoded body)``; ``(None, message)`` when the server cannot be reached."""
        url = path if path.startswith("http") else self.root + path
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Token {self.key}", "Content-Type": "application/json", **(headers or {}),
        })
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
        except urllib.error.URLError as error:
            return None, f"could not reach {url}: {error.reason} (is the server running?)"

    def every(self, path):
        """Every result of a listing, following its ``next`` links."""
        results, url = [], path
        while url:
            status, body = self.call("GET", url)
            if status != 200:
                raise RuntimeError(f"GET {url}: {status} {body}")
            results += body["results"]
            url = body["next"]
        return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("learners", nargs="+", metavar="EMAIL", help="The learners' emails (or usernames).")
    parser.add_argument("--course", action="append", required=True, metavar="COURSE_ID",
                        help="A course of the site (repeatable).")
    parser.add_argument("--host", default=os.environ.get("TAHOE_API_HOST", "http://127.0.0.1:8000"),
                        help="The site's base URL (default: $TAHOE_API_HOST, else http://127.0.0.1:8000).")
    parser.add_argument("--key", default=os.environ.get("TAHOE_API_USER_KEY"),
                        help="The site's API key, with the read and enroll scopes (default: $TAHOE_API_USER_KEY).")
    parser.add_argument("--unenroll", action="store_true", help="Unenroll the learners instead.")
    parser.add_argument("--email-learners", action="store_true", help="Send the site's enrollment emails.")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("no API key: pass --key or set TAHOE_API_USER_KEY")
    api = Api(args.host, args.key)

    status, _body = api.call("GET", "courses/")
    if status is None:
        print(f"error: {_body}", file=sys.stderr)
        return 2
    offered = {course["course_id"] for course in api.every("courses/")}
    missing = [course for course in args.course if course not in offered]
    if missing:
        print(f"not a course of this site: {', '.join(missing)}; it offers {', '.join(sorted(offered))}",
              file=sys.stderr)
        return 1
    for learner in args.learners:
        query = urllib.parse.urlencode({"email" if "@" in learner else "username": learner})
        _status, found = api.call("GET", f"users/?{query}")
        print(f"{learner}: {'has an account' if found['results'] else 'no account yet'}")

    action = "unenroll" if args.unenroll else "enroll"
    status, body = api.call("POST", "enrollments/", {
        "action": action, "courses": args.course, "learners": args.learners, "email_learners": args.email_learners,
    }, headers={"Idempotency-Key": str(uuid.uuid4())})
    if status != 200:
        print(f"{action} refused ({status}): {body}", file=sys.stderr)
        return 1
    for result in body["results"]:
        print(f"{result['learner']} in {result['course_id']}: {result['status']}")
    for warning in body.get("warnings", []):
        print(f"warning: {warning}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
