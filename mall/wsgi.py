import gc
import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mall.settings")
application = get_wsgi_application()

# Load the URLs (and with them the GraphQL schema) now, then move everything loaded so far out
# of the garbage collector's reach: those objects live as long as the process, and walking them
# on every full collection stalls the requests that allocate most (large API pages).
importlib.import_module(settings.ROOT_URLCONF)
gc.freeze()
