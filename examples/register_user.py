#!/usr/bin/env python
"""
Register a learner through the Tahoe Registration API: the example of the Tahoe document, runnable.

    TAHOE_API_USER_KEY=<key> python examples/register_user.py --host http://127.0.0.1:8000

Like the original, it makes up a learner and posts it as a form (what ``requests.post(data=...)``
sends), with the key in ``Authorization: Token <key>``. With ``--enroll COURSE_ID`` (repeatable) it
calls v2 with a JSON body that also enrolls the learner in those courses. It needs only Python's
standard library.
The host and key come from the arguments or from ``TAHOE_API_HOST`` and ``TAHOE_API_USER_KEY``.
"""
import argparse
import json
import os
import pprint
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request


def generate_user_info(with_password=True):
    """A made-up learner (the original used the faker package)."""
    username = f"learner-{secrets.token_hex(4)}"
    info = {"name": "Alex Userton", "username": username, "email": f"{username}@example.com"}
    if with_password:
        info["password"] = secrets.token_urlsafe(12)
    return info


def register_user(reg_api_url, token, data, as_json=False):
    """POST the learner (as form data, or JSON); return the HTTP status and the decoded JSON body."""
    print(f"calling url:{reg_api_url} with data:")
    pprint.pprint({**data, "password": "…"} if "password" in data else data)
    headers = {"Authorization": f"Token {token}"}
    if as_json:
        body, headers["Content-Type"] = json.dumps(data).encode("utf-8"), "application/json"
    else:
        body = urllib.parse.urlencode(data).encode("utf-8")
    request = urllib.request.Request(reg_api_url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except urllib.error.URLError as error:
        return None, f"could not reach {reg_api_url}: {error.reason} (is the server running?)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--host", default=os.environ.get("TAHOE_API_HOST", "http://127.0.0.1:8000"),
                        help="The site's base URL (default: $TAHOE_API_HOST, else http://127.0.0.1:8000).")
    parser.add_argument("--key", default=os.environ.get("TAHOE_API_USER_KEY"),
                        help="The site's API key (default: $TAHOE_API_USER_KEY).")
    parser.add_argument("--version", choices=["v1", "v2"], default="v1", help="API version (default: v1).")
    parser.add_argument("--no-password", action="store_true",
                        help="Let the learner choose a password from the set-password email.")
    parser.add_argument("--enroll", action="append", default=[], metavar="COURSE_ID",
                        help="Also enroll the learner in this course (repeatable; uses v2).")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("no API key: pass --key or set TAHOE_API_USER_KEY")
    if args.enroll and args.version == "v1":
        args.version = "v2"  # only v2 enrolls

    reg_api_url = f"{args.host.rstrip('/')}/tahoe/api/{args.version}/registrations/"
    reg_data = generate_user_info(with_password=not args.no_password)
    if args.enroll:
        reg_data["enrollments"] = [{"course_id": course_id} for course_id in args.enroll]
    print("Registering user:")
    pprint.pprint({key: value for key, value in reg_data.items() if key != "password"})
    print("making call...")
    status, response_data = register_user(reg_api_url, args.key, reg_data, as_json=bool(args.enroll))
    if status is None:
        print(f"error: {response_data}", file=sys.stderr)
        return 2
    print(f"response ({status}):")
    pprint.pprint(response_data)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
