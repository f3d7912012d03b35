"""The payment tests use the localstripe fixtures of tests/conftest.py (defined in tests/localstripe.py)."""

from tests.localstripe import LOCALSTRIPE_SECRET_KEY  # noqa: F401  (kept importable from here)
