"""The localstripe emulator as a real server on a loopback port, so Stripe code runs unmocked and offline.

Its fixtures are registered in tests/conftest.py: the payment tests and the storefront's browser tests share
one server per test session."""

import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import stripe

# Any key starting with "sk_" is accepted by localstripe; it never leaves the machine.
LOCALSTRIPE_SECRET_KEY = "sk_test_union_mall_localstripe"
STARTUP_TIMEOUT_SECONDS = 20


def free_loopback_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def localstripe_command(port):
    # The console script sits beside the interpreter running pytest, i.e. in this project's virtualenv.
    # --from-scratch: localstripe would otherwise reload the state another run pickled to /tmp.
    return [str(Path(sys.executable).parent / "localstripe"), "--port", str(port), "--from-scratch"]


def answers_http(base_url):
    try:
        urllib.request.urlopen(f"{base_url}/v1/balance", timeout=1)
    except urllib.error.HTTPError:
        return True  # 401 without a key: the server is up and routing.
    except OSError:
        return False
    return True


def log_tail(path, lines=30):
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def localstripe():
    """Base URL of a localstripe server of this test session's own, stopped when the session ends."""
    port = free_loopback_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile(prefix="localstripe-", suffix=".log", delete=False) as log:
        log_path = log.name
        process = subprocess.Popen(
            localstripe_command(port), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    started = False
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not answers_http(base_url):
            if process.poll() is not None:
                pytest.fail(f"localstripe exited with {process.returncode}; log {log_path}:\n{log_tail(log_path)}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"localstripe did not answer on {base_url} within {STARTUP_TIMEOUT_SECONDS} s; "
                    f"log {log_path}:\n{log_tail(log_path)}"
                )
            time.sleep(0.1)
        started = True
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if started:  # a failed start keeps its log for reading
            Path(log_path).unlink(missing_ok=True)


@pytest.fixture
def stripe_client(localstripe):
    """The stripe module pointed at localstripe for one test; the previous key and base come back afterwards."""
    previous_key, previous_base = stripe.api_key, stripe.api_base
    stripe.api_key = LOCALSTRIPE_SECRET_KEY
    stripe.api_base = localstripe
    yield stripe
    stripe.api_key, stripe.api_base = previous_key, previous_base
