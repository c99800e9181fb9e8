import os

from django.core.wsgi import get_wsgi_application

from backend.core.env import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
load_settings_or_exit()  # a malformed variable: one line naming it, not a traceback
application = get_wsgi_application()
