import pytest

from tests.search.api import catalogue as catalogue_module
from tests.tasks.conftest import celery_worker_process  # noqa: F401  (the real worker fixture)


@pytest.fixture
def catalogue(db):
    return catalogue_module.build()


@pytest.fixture
def worker_log(celery_worker_process):  # noqa: F811
    """The worker's output lines as they come (read by a thread), to count the tasks it ran."""
    import threading

    lines: list[str] = []

    def read():
        for line in celery_worker_process.stdout:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    yield lines
    print("".join(lines))
