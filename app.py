"""Entry point: `flask --app app run`, `gunicorn app:app`."""
from mentormatch import create_app

app = create_app()
