"""
Stand-ins for the edx-platform modules the Open edX backend uses, as strict as the platform.

edx-platform cannot be installed here, so small modules take the platform's import paths in
``sys.modules`` while a test runs (``lms.installed()``). Each keeps the signature, the return
value and the exceptions of the platform's own, and reproduces what a caller would notice: what it
refuses, swallows, queues, sends and signals, in the platform's order. openedx-events and
openedx-filters are the real packages. Each module names the platform file and commit it follows.

This package is also a test-only Django app holding the platform's tables the standalone app
does not (``models.py``); importing it imports nothing else.
"""
