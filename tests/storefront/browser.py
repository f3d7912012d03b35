"""Debian's chromium driven by Playwright: how the browser tests start it and what a phone is."""

from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOUCH = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
PHONE = {"viewport": {"width": 390, "height": 844}, **TOUCH}
SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, **TOUCH}  # the narrowest common Android phone

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is missing at /usr/bin/chromium (apt-get install chromium)"
    ),
]


@contextmanager
def chromium():
    """A running chromium, closed afterwards whatever happens."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
