"""Union Mall settings: every value comes from the environment, with safe development defaults."""

import warnings
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-union-mall"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "graphene_django",
    "treebeard",
    "accounts",
    "branches",
    "members",
    "catalog",
    "checkout",
    "orders",
    "payments",
    "allowances",
    "bulk_orders",
    "content",
    "relief_sourcing",
    "search",
    "storefront",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mall.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.TokenAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the URL resolver's 404 before CommonMiddleware's slash redirect does.
    "storefront.not_found.MallNotFoundPageMiddleware",
]

ROOT_URLCONF = "mall.urls"
WSGI_APPLICATION = "mall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: DATABASE_URL, or an embedded PostgreSQL under var/ -------------------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    # A Unix-socket directory may be given percent-encoded as the host (postgres://u@%2Frun%2Fpg/db).
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
else:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on servers
        from mall.embedded_postgres import embedded_database_settings

        DATABASES = {"default": embedded_database_settings(VAR_DIR)}
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# No JIT compilation: a shop's queries are short, and a facet count whose estimate crosses jit_above_cost
# spent 0.8 s compiling to run in 0.2 s (PostgreSQL's own advice for OLTP work). Random reads priced as what
# they are on SSDs and cached data (1.1, not the spinning disks' 4): at 4 the planner reads all 100,000
# products in order for a broad pinyin search (230 ms) instead of the 14,000 its index finds (57 ms). An
# administrator's own -c options come after these and win.
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = " ".join(filter(None, ["-c jit=off -c random_page_cost=1.1", _options.get("options", "")]))
DATABASES["default"].setdefault("TEST", {"NAME": env.str("TEST_DATABASE_NAME", default="") or None})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.RateLimitedModelBackend"]
# Login throttling (accounts/throttling.py), counted in CACHES — use Redis (CACHE_URL) with several workers.
# Failures on one account from one address before the next attempt waits 1, 2, 4 ... seconds.
LOGIN_THROTTLE_FREE_FAILURES = env.int("LOGIN_THROTTLE_FREE_FAILURES", default=3)
# Failures from one address on any accounts before the address waits; the wait doubles every STEP more.
LOGIN_THROTTLE_ADDRESS_FREE_FAILURES = env.int("LOGIN_THROTTLE_ADDRESS_FREE_FAILURES", default=30)
LOGIN_THROTTLE_ADDRESS_STEP = env.int("LOGIN_THROTTLE_ADDRESS_STEP", default=10)
LOGIN_THROTTLE_MAX_DELAY_SECONDS = env.int("LOGIN_THROTTLE_MAX_DELAY_SECONDS", default=3600)
# Counters are forgotten after this long without a failure.
LOGIN_THROTTLE_WINDOW_SECONDS = env.int("LOGIN_THROTTLE_WINDOW_SECONDS", default=7200)
# Longest a password check may hold its per-address-and-account lock (a crashed worker's lock expires).
LOGIN_THROTTLE_LOCK_SECONDS = 10
# tokenRefresh and tokenVerify requests per client address per minute.
TOKEN_RATE_LIMIT_PER_MINUTE = env.int("TOKEN_RATE_LIMIT_PER_MINUTE", default=600)
# Proxies (addresses or networks) whose X-Forwarded-For is believed; empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Saleor's allowLoginWithoutConfirmation, read with ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL.
ALLOW_LOGIN_WITHOUT_CONFIRMATION = env.bool("ALLOW_LOGIN_WITHOUT_CONFIRMATION", default=False)
# JWT as Saleor: HS256 with JWT_SECRET (SECRET_KEY unless set), access tokens short, refresh tokens long.
JWT_SECRET = env.str("JWT_SECRET", default=SECRET_KEY)
JWT_ISSUER = env.str("JWT_ISSUER", default=PUBLIC_URL.rstrip("/") + "/graphql/")
JWT_ACCESS_TTL = timedelta(seconds=env.int("JWT_TTL_ACCESS_SECONDS", default=5 * 60))
JWT_REFRESH_TTL = timedelta(seconds=env.int("JWT_TTL_REFRESH_SECONDS", default=30 * 24 * 3600))
JWT_REFRESH_TOKEN_COOKIE_SAMESITE = env.str("JWT_REFRESH_TOKEN_COOKIE_SAMESITE", default="Lax")
JWT_REFRESH_TOKEN_COOKIE_SECURE = env.bool("JWT_REFRESH_TOKEN_COOKIE_SECURE", default=not DEBUG)
# tokenCreate and tokenRefresh write last_login at most this often per user.
LAST_LOGIN_UPDATE_SECONDS = env.int("LAST_LOGIN_UPDATE_SECONDS", default=60)
# Saleor's enableAccountConfirmationByEmail: new accounts stay inactive until the e-mail link is followed.
ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = env.bool("ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", default=True)
# Hosts a client may pass as `redirectUrl` for links in e-mails (Saleor's ALLOWED_CLIENT_HOSTS); a leading
# dot allows subdomains. PUBLIC_URL's host is always allowed.
ALLOWED_CLIENT_HOSTS = env.list("ALLOWED_CLIENT_HOSTS", default=["127.0.0.1", "localhost"])
MAX_ADDRESSES_PER_USER = env.int("MAX_ADDRESSES_PER_USER", default=20)
# At most one password reset e-mail per address in this many seconds; the answer is the same either way.
PASSWORD_RESET_EMAIL_INTERVAL_SECONDS = env.int("PASSWORD_RESET_EMAIL_INTERVAL_SECONDS", default=60)
# Pages that need a signed-in person send others here (accounts' login page).
LOGIN_URL = "storefront:login"
LOGIN_REDIRECT_URL = "storefront:account"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media is served by Django itself unless a front proxy or object store takes over.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Cache ------------------------------------------------------------------------------
CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {
    "default": env.cache("CACHE_URL") if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- E-mail: printed on the console unless a real backend is configured ----------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="工会商城 <noreply@union-mall.cn>")

# --- Celery: a broker when CELERY_BROKER_URL is set, otherwise tasks run in-process ----------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    # Catches search refreshes lost while no worker was running.
    "refresh-stale-search-documents": {
        "task": "search.index_stale_products",
        "schedule": env.int("SEARCH_CATCH_UP_SECONDS", default=600),
    },
    # Units sold over the last 90 days into Product.popularity, and the suggestion terms anew (nightly).
    "refresh-search-popularity": {
        "task": "search.refresh_popularity",
        "schedule": crontab(hour=3, minute=30),
    },
    # Cancels orders not paid within ORDER_PAYMENT_HOLD_MINUTES and gives their stock back.
    "release-unpaid-orders": {"task": "orders.release_unpaid_orders", "schedule": 60},
    # Deletes checkouts untouched for CHECKOUT_TTL_DAYS (those holding a payment are kept).
    "delete-stale-checkouts": {"task": "checkout.delete_stale_checkouts", "schedule": 3600 * 6},
    # Writes off welfare allowances past their expiry date.
    "expire-allowances": {"task": "allowances.expire_allowances", "schedule": 3600},
    # Reconciles yesterday's relief ledger with the orders, at night when the day is closed.
    "reconcile-relief-ledger": {"task": "relief_sourcing.reconcile_yesterday", "schedule": crontab(hour=2, minute=30)},
}

# --- GraphQL ----------------------------------------------------------------------------
GRAPHENE = {
    "SCHEMA": "mall.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": False,
}
GRAPHQL_PAGINATE_BY = 100  # the largest page a connection returns, as in Saleor
# What an operation may cost before it is refused unrun (mall.graphql.cost). Each field costs 1 and a
# connection multiplies its own cost and everything below it by `first`/`last`, as in Saleor; 0 turns a
# limit off (not recommended).
GRAPHQL_QUERY_MAX_COMPLEXITY = env.int("GRAPHQL_QUERY_MAX_COMPLEXITY", default=50_000)
# Fields nested from the root; Saleor's storefront queries nest at most 10.
GRAPHQL_QUERY_MAX_DEPTH = env.int("GRAPHQL_QUERY_MAX_DEPTH", default=15)
# Aliased fields in an operation, counted once per fragment spread.
GRAPHQL_QUERY_MAX_ALIASES = env.int("GRAPHQL_QUERY_MAX_ALIASES", default=30)
# Lexical tokens in a document (the introspection query GraphiQL sends has 163).
GRAPHQL_QUERY_MAX_TOKENS = env.int("GRAPHQL_QUERY_MAX_TOKENS", default=15_000)
# GraphiQL at GET /graphql/ loads React and GraphiQL from our own static files (vendored from npm, see
# mall/static/graphiql/README.md), not from a CDN that is slow or blocked in China and absent offline.
STATICFILES_DIRS = [BASE_DIR / "mall" / "static"]
TEMPLATES[0]["DIRS"].append(BASE_DIR / "mall" / "templates")  # mall/templates/graphene/graphiql.html

# --- The mall ---------------------------------------------------------------------------
MALL_NAME = env.str("MALL_NAME", default="工会商城")
MALL_DESCRIPTION = env.str("MALL_DESCRIPTION", default="市总工会会员普惠与消费帮扶商城")
DEFAULT_CHANNEL_SLUG = env.str("DEFAULT_CHANNEL_SLUG", default="union-mall")
DEFAULT_CURRENCY = env.str("DEFAULT_CURRENCY", default="CNY")
# The active channels are cached this long (saving or deleting a channel clears them at once; the bound
# matters only for a cache not shared between workers).
CHANNELS_CACHE_SECONDS = env.int("CHANNELS_CACHE_SECONDS", default=300)
# The most units one checkout line may hold; the API's quantityAvailable never shows more (as in Saleor),
# so that exact stock levels cannot be watched from outside.
# The storefront's header and footer menus are cached this long (a menu or page edit clears them at once).
STOREFRONT_MENUS_CACHE_SECONDS = env.int("STOREFRONT_MENUS_CACHE_SECONDS", default=300)
MAX_CHECKOUT_LINE_QUANTITY = env.int("MAX_CHECKOUT_LINE_QUANTITY", default=50)
# Pages say 库存紧张 (low stock) when a variant has this many units or fewer left.
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", default=5)

# --- Buying: checkout, orders, payments -----------------------------------------------------
# An order is placed before it is paid (下单 then 支付) and holds its stock this long; unpaid after
# that, the release-unpaid-orders beat task cancels it and gives stock, voucher and allowance back.
ORDER_PAYMENT_HOLD_MINUTES = env.int("ORDER_PAYMENT_HOLD_MINUTES", default=30)
# Checkouts untouched this long are deleted (Saleor deletes anonymous ones after 30 days).
CHECKOUT_TTL_DAYS = env.int("CHECKOUT_TTL_DAYS", default=30)
# Stripe: keys from the environment only. STRIPE_API_BASE points the SDK elsewhere (tests: localstripe).
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# Where the storefront loads Stripe.js from (tests: localstripe's stand-in at <localstripe>/js.stripe.com/v3/).
STRIPE_JS_URL = env.str("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
# Payment method types offered with the card: alipay and wechat_pay where the Stripe account has them.
STRIPE_PAYMENT_METHOD_TYPES = env.list("STRIPE_PAYMENT_METHOD_TYPES", default=["card"])
# Webhooks signed longer ago than this are refused (replays of old captures).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env.int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", default=300)
# Welfare allowances (福利额度), with Guangdong's festival-gift rules as defaults (DOMAIN.md): one grant
# gives a member at most ALLOWANCE_MAX_PER_GRANT yuan; the grants a member receives in one calendar year
# add up to at most ALLOWANCE_MAX_PER_MEMBER_YEAR, plus ALLOWANCE_RELIEF_EXTRA_PER_MEMBER_YEAR more for
# grants restricted to the relief collection (slug ALLOWANCE_RELIEF_COLLECTION_SLUG, 帮扶专区).
ALLOWANCE_MAX_PER_GRANT = Decimal(env.str("ALLOWANCE_MAX_PER_GRANT", default="2500"))
ALLOWANCE_MAX_PER_MEMBER_YEAR = Decimal(env.str("ALLOWANCE_MAX_PER_MEMBER_YEAR", default="2500"))
ALLOWANCE_RELIEF_EXTRA_PER_MEMBER_YEAR = Decimal(env.str("ALLOWANCE_RELIEF_EXTRA_PER_MEMBER_YEAR", default="600"))
ALLOWANCE_RELIEF_COLLECTION_SLUG = env.str("ALLOWANCE_RELIEF_COLLECTION_SLUG", default="relief-zone")
# Relief targets (DOMAIN.md): the minimum relief share of a branch's festival-gift spending when its target
# for the year sets none; several provinces ask unions for 30% (some 50%).
RELIEF_MINIMUM_SHARE_DEFAULT = Decimal(env.str("RELIEF_MINIMUM_SHARE_DEFAULT", default="0.30"))

# --- Bulk orders (采购单) of branch unions: the compliance rules, defaults from DOMAIN.md (Guangdong) -------
# Festival gifts per member per calendar year, over every bulk order of the branch that names the member.
BULK_FESTIVAL_GIFT_CAP_PER_MEMBER = Decimal(env.str("BULK_FESTIVAL_GIFT_CAP_PER_MEMBER", default="2500"))
# Above this total a bulk order needs three quotes or the committee's minutes attached.
BULK_QUOTES_THRESHOLD = Decimal(env.str("BULK_QUOTES_THRESHOLD", default="10000"))
# Above this total it is refused: it needs a tender (招标), which the mall does not run.
BULK_TENDER_THRESHOLD = Decimal(env.str("BULK_TENDER_THRESHOLD", default="150000"))
# The most rows a recipient list may have.
BULK_MAX_RECIPIENT_ROWS = env.int("BULK_MAX_RECIPIENT_ROWS", default=5000)
# The federation's account branches pay bulk orders into (对公转账), shown on every unpaid bulk order.
FEDERATION_ACCOUNT_NAME = env.str("FEDERATION_ACCOUNT_NAME", default="深圳市总工会")
FEDERATION_BANK_NAME = env.str("FEDERATION_BANK_NAME", default="中国工商银行深圳市分行营业部")
FEDERATION_BANK_ACCOUNT = env.str("FEDERATION_BANK_ACCOUNT", default="4000 0210 0900 0000 000")

# --- Search: "postgres" (full text with jieba and pinyin, the default) or "elasticsearch" ---------------
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="postgres")
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
# The alias searches read; reindexing builds a new index beside it and moves the alias when done.
ELASTICSEARCH_INDEX = env.str("ELASTICSEARCH_INDEX", default="union-mall-products")
# The Chinese analyzer of a new index: "auto" (IK, else smartcn, when the cluster has the plugin, else cjk),
# or "ik" | "smartcn" | "cjk"; and how many products a text search ranks at most.
ELASTICSEARCH_ANALYZER = env.str("ELASTICSEARCH_ANALYZER", default="auto")
ELASTICSEARCH_MAX_HITS = env.int("ELASTICSEARCH_MAX_HITS", default=1000)
# Seconds a search waits for the cluster before the page falls back to PostgreSQL.
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=5.0)

CJK_FONT_PATH = env.str("CJK_FONT_PATH", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# --- Relief dashboards and the public disclosure page ------------------------------------------
# /relief/disclosure/ (公示) is public and read by many: its aggregates are computed at most this often.
RELIEF_DISCLOSURE_CACHE_SECONDS = env.int("RELIEF_DISCLOSURE_CACHE_SECONDS", default=600)
# The year selectors of the dashboards and the disclosure page offer this year up to the current one.
RELIEF_FIRST_YEAR = env.int("RELIEF_FIRST_YEAR", default=2021)

# --- Security ---------------------------------------------------------------------------
# Key of the HMAC that stands in for ID card numbers (members.id_numbers). Keep it stable and secret:
# a new key makes every stored hash unmatchable. Unset, it is derived from SECRET_KEY (development);
# `manage.py check --deploy` warns when it is unset.
ID_NUMBER_HASH_KEY = env.str("ID_NUMBER_HASH_KEY", default="")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Django's own logger already has a console handler; without this each line is printed twice.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
