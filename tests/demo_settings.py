"""The settings pytest runs with: the portal's own settings in demo mode, asked for
explicitly (without DJANGO_ENV the settings are production's and refuse to start).

pytest-django loads settings in its `pytest_load_initial_conftests` hook, before any
conftest.py is imported, and a `-p` plugin cannot be imported from the project
directory (it is not on sys.path yet); the settings module itself is the first code of
ours that runs. Setting os.environ here also hands DJANGO_ENV=demo to every subprocess
the tests start (Celery workers, manage.py), which also set it themselves.
"""

import os

os.environ["DJANGO_ENV"] = "demo"

from beredskab.settings import *  # noqa: E402, F403
