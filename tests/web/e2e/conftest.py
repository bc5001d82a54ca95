"""The browser tests' fixtures (the server, the page, the artefacts folder), defined in
test_browser.py and shared with the other browser test modules from here."""

from .test_browser import artefacts, page, server  # noqa: F401
