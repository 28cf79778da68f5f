"""Exceptions the CLI turns into one-line messages and exit code 2.

    BenchError
    └── BadInput          the user gave something wrong: bench file, profile, URL, option
        ├── BenchFileError
        └── ProfileError
"""


class BenchError(Exception):
    """Base of every error bench raises on purpose."""


class BadInput(BenchError):
    """Something the user supplied is wrong; the message says what and how to fix it."""


class BenchFileError(BadInput):
    pass


class ProfileError(BadInput):
    pass
