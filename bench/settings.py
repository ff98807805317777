"""Settings for benchmark servers: the product's settings plus the bare baseline views in bench.urls."""

from minsheng.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
