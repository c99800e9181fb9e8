#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    from django.core.management import execute_from_command_line

    from backend.core.env import load_settings_or_exit

    load_settings_or_exit()

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
