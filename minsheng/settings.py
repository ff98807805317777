"""Minsheng settings.

Everything a deployment changes comes from the environment (see README, "Configuration"). The defaults run the
embedded single-machine setup: SQLite under ./var, no broker (Celery tasks run in-process), DEBUG off, a secret key
generated on first run under the var dir.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("MINSHENG_VAR_DIR", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


#: Debug pages list every URL and Python path: only when a developer asks for them (docs/decisions/0017).
DEBUG = env_bool("MINSHENG_DEBUG", False)


def installation_secret_key(var_dir: Path) -> str:
    """This installation's own key, generated on first run and kept in the var dir, readable by its owner only.

    A key written in the source would let anyone forge the residents' signed links and cookies. Test runs get a
    throw-away key in memory and write nothing.
    """
    import secrets

    if os.environ.get("PYTEST_VERSION"):
        return secrets.token_urlsafe(50)
    path = var_dir / "secret_key"
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    else:
        if not key:  # left empty by a first run that died between creating and writing it
            path.unlink()
    if key:
        return key
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process of the same installation wrote it first
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    return key


SECRET_KEY = os.environ.get("MINSHENG_SECRET_KEY", "") or installation_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("MINSHENG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("MINSHENG_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "minsheng.core",
    "minsheng.accounts",
    "minsheng.org",
    "minsheng.cases",
    "minsheng.open311",
    "minsheng.agri",
    "minsheng.iot",
    "minsheng.deliberation",
    "minsheng.activities",
    "minsheng.enterprise",
    "minsheng.mediation",
    "minsheng.ops",
    "minsheng.cluster",
    "minsheng.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "minsheng.core.middleware.RequestContextMiddleware",
    "minsheng.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "minsheng.ops.middleware.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "minsheng.urls"
WSGI_APPLICATION = "minsheng.wsgi.application"
ASGI_APPLICATION = "minsheng.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minsheng.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'minsheng.sqlite3'}"),
        conn_max_age=int(os.environ.get("MINSHENG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on the short aggregate queries of the metrics (measured: a
    # year-by-month breakdown spent 1.4 s of 2.6 s compiling).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and the background jobs share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["minsheng.accounts.backends.PhoneOrUsernameBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MINSHENG_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# `minsheng serve` collects the static files first; a debugging developer and the test run serve them from the apps.
WHITENOISE_USE_FINDERS = DEBUG or "PYTEST_VERSION" in os.environ
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "minsheng",
        }
    }

# Celery: with no broker configured, tasks run in-process (the embedded default needs no services).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True

# Periodic jobs: run by Celery beat in production, by `minsheng serve` in-process without a broker.
MINSHENG_PERIODIC_JOBS = {
    "cases.deadline_clock": {"target": "minsheng.cases.actions.run_deadline_clock", "every": 60},
    "notifications.deliver_due": {"target": "minsheng.core.tasks.deliver_due", "every": 60},
    "iot.offline_check": {"target": "minsheng.iot.rules.check_offline", "every": 300},
    "iot.unack_escalation": {"target": "minsheng.iot.actions.escalate_unacknowledged", "every": 60},
    "iot.unack_reminders": {"target": "minsheng.iot.alerts.remind_unacknowledged", "every": 60},
    "iot.retention": {"target": "minsheng.iot.retention.run", "every": 900},
    "activities.shift_reminders": {
        "target": "minsheng.activities.actions.volunteers.send_shift_reminders",
        "every": 300,
    },
    "activities.expire_offers": {
        "target": "minsheng.activities.actions.volunteers.expire_offers",
        "every": 300,
    },
    "enterprise.stage_clock": {"target": "minsheng.enterprise.actions.run_stage_clock", "every": 300},
    "mediation.statutory_clocks": {"target": "minsheng.mediation.actions.clocks.run", "every": 300},
    "iot.partitions": {"target": "minsheng.iot.partitions.ensure", "every": 3600},
    "insights.reports": {"target": "minsheng.insights.delivery.send_due", "every": 3600},
}
# An interval may be changed per deployment: MINSHENG_PERIODIC_EVERY="cases.deadline_clock=30,iot.retention=600".
for _name, _sep, _seconds in (item.partition("=") for item in env_list("MINSHENG_PERIODIC_EVERY", "")):
    MINSHENG_PERIODIC_JOBS[_name.strip()]["every"] = float(_seconds)
CELERY_BEAT_SCHEDULE = {
    name: {"task": "minsheng.periodic", "schedule": job["every"], "args": (name,)}
    for name, job in MINSHENG_PERIODIC_JOBS.items()
}

EMAIL_BACKEND = os.environ.get("MINSHENG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("MINSHENG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MINSHENG_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("MINSHENG_DEFAULT_FROM_EMAIL", "minsheng@localhost")

#: Behind a TLS-terminating reverse proxy (nginx): trust its X-Forwarded-* headers (Django here, waitress in
#: `minsheng serve`) and turn the HTTPS hardening on. The embedded default serves plain HTTP on an intranet.
BEHIND_PROXY = env_bool("MINSHENG_BEHIND_PROXY", False)
HTTPS = env_bool("MINSHENG_HTTPS", BEHIND_PROXY)
SECURE_SSL_REDIRECT = env_bool("MINSHENG_SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = env_bool("MINSHENG_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("MINSHENG_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
#: The proxy waitress believes (`minsheng serve`): its address (`*`: any), the local one by default.
TRUSTED_PROXY = os.environ.get("MINSHENG_TRUSTED_PROXY", "127.0.0.1")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's token authentication with the user and memberships cached a short while (decision 0063)
        "minsheng.accounts.api.authentication.CachedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "minsheng.core.filtersets.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "minsheng.core.api_pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "minsheng.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "minsheng.core.api.exception_handler",
    "DEFAULT_METADATA_CLASS": "minsheng.core.api.Metadata",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "民生 Minsheng API",
    "DESCRIPTION": "基层治理平台接口 — organisation, grids, accounts; appeals engine to follow.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "minsheng.core.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "minsheng.cases.choices.Status",
        "ApprovalRequestKindEnum": "minsheng.cases.choices.RequestKind",
        "ApprovalRequestStatusEnum": "minsheng.cases.choices.RequestStatus",
        "DisputeTypeEnum": "minsheng.mediation.choices.DisputeType",
        "DisputeSourceEnum": "minsheng.mediation.choices.DisputeSource",
        "PetitionKindEnum": "minsheng.mediation.choices.PetitionKind",
        "PartyRoleEnum": "minsheng.mediation.choices.PartyRole",
        "ScreeningItemSourceEnum": "minsheng.mediation.choices.ItemSource",
        "RoleEnum": "minsheng.accounts.choices.Role",
        "CherrySaleChannelEnum": "minsheng.cluster.choices.Channel",
        "OrchardKindEnum": "minsheng.cluster.choices.OrchardKind",
        "CherryAgreementKindEnum": "minsheng.cluster.choices.AgreementKind",
        "TechniqueKindEnum": "minsheng.cluster.choices.TechniqueKind",
        "CherryTrainingKindEnum": "minsheng.cluster.choices.TrainingKind",
        "CaseChannelEnum": "minsheng.cases.choices.Channel",
        "CaseSatisfactionEnum": "minsheng.cases.choices.Satisfaction",
        "ParticipantRoleEnum": "minsheng.deliberation.choices.ParticipantRole",
        "MeetingItemKindEnum": "minsheng.deliberation.choices.ItemKind",
        "VisitOutcomeEnum": "minsheng.deliberation.choices.VisitOutcome",
        "SigningKindEnum": "minsheng.enterprise.choices.SigningKind",
        "PlanNeedKindEnum": "minsheng.enterprise.choices.NeedKind",
        "EnterpriseEventKindEnum": "minsheng.enterprise.choices.EventKind",
        "PolicyDeliveryMethodEnum": "minsheng.enterprise.choices.DeliveryMethod",
        "EnterpriseSizeEnum": "minsheng.enterprise.choices.SizeClass",
        "ProjectStageEnum": "minsheng.enterprise.choices.Stage",
        "RapidMethodEnum": "minsheng.agri.choices.RapidMethod",
        "MediationOutcomeEnum": "minsheng.mediation.choices.Outcome",
        "ContactMethodEnum": "minsheng.deliberation.choices.ContactMethod",
        "CherryPackageEnum": "minsheng.cluster.choices.Package",
        "CherryOrganisationKindEnum": "minsheng.cluster.choices.OrgKind",
    },
}

# Login throttling: this many failures per (account, client address) inside the window locks that pair out, and
# this many failures from one address, whatever the accounts, lock the address out (docs/decisions/0018).
LOGIN_FAILURE_LIMIT = int(os.environ.get("MINSHENG_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("MINSHENG_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("MINSHENG_LOGIN_LOCKOUT_SECONDS", "900"))

# Office hours for deadlines counted in working hours (see docs/decisions/0003-working-calendar.md).
MINSHENG_WORKING_PERIODS = [("08:30", "12:00"), ("13:30", "17:30")]
MINSHENG_CASE_PREFIX = os.environ.get("MINSHENG_CASE_PREFIX", "CG")
MINSHENG_MAP_TILES = os.environ.get("MINSHENG_MAP_TILES", "")
#: The site's public address, for links in emails and webhook messages (e.g. https://minsheng.example.gov.cn).
MINSHENG_SITE_URL = os.environ.get("MINSHENG_SITE_URL", "")
#: Where verification codes for the residents' pages go: the default writes them to the log (demo, intranet
#: without an SMS gateway); a deployment points this at its gateway's backend class (minsheng/core/sms.py).
MINSHENG_SMS_BACKEND = os.environ.get("MINSHENG_SMS_BACKEND", "minsheng.core.sms.LogBackend")
#: Open311 GeoReport v2 (docs/open311.md): the jurisdiction this endpoint answers for.
MINSHENG_OPEN311_JURISDICTION = os.environ.get("MINSHENG_OPEN311_JURISDICTION", "chengguan.local")
#: The MQTT broker `minsheng ingest` subscribes to (docs/deploy.md); the topic is chosen per consumer.
IOT_MQTT = {
    "host": os.environ.get("MINSHENG_MQTT_HOST", "127.0.0.1"),
    "port": int(os.environ.get("MINSHENG_MQTT_PORT", "1883")),
    "username": os.environ.get("MINSHENG_MQTT_USERNAME", ""),
    "password": os.environ.get("MINSHENG_MQTT_PASSWORD", ""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MINSHENG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
