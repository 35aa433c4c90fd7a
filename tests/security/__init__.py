"""Security tests for issue 14: nothing a user, a file or a link supplies can inject, crash, or cost the server.

Run on their own with ``pytest tests/security`` (README.md in this folder says what each file covers).
"""
