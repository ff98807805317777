"""The `minsheng` console script: `minsheng demo`, `minsheng serve`, and every manage.py command."""

import os
import sys


def manage(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(argv)


def main() -> None:
    argv = list(sys.argv)
    argv[0] = "minsheng"
    manage(argv)


if __name__ == "__main__":
    main()
