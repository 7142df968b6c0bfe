"""gunicorn settings for MentorMatch behind nginx (deploy/nginx.conf.template).

    gunicorn -c deploy/gunicorn.conf.py app:app

Sync workers are safe here only because nginx buffers every request and response: a worker
never waits on a slow client. Without nginx in front, a few clients sending a body one byte a
second hold every worker (see docs/deploy.md).
"""
import multiprocessing
import os

# Loopback only: nginx is the one door in.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 60            # a worker stuck longer is killed and replaced (nginx waits 65 s)
graceful_timeout = 30
keepalive = 2
# Requests arrive complete from nginx; these refuse absurd headers that slipped through anyway.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Only nginx on this host may set X-Forwarded-*.
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
