"""
What the standalone backend needs in a plain Django project: the profile that holds a learner's
full name, the activation record, and the pages behind the emails' links.

Only standalone settings (tests, ``make run``) install this app, so an LMS gets none of its tables.
"""
