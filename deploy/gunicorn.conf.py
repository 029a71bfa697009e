"""gunicorn for the transcript player (the production recipe; README, "Many machines").

    gunicorn -c deploy/gunicorn.conf.py 'webapp:create_app()'

Threaded workers (gthread): a request waiting on the database holds a thread, not a
process. Behind nginx (deploy/nginx.conf), which holds slow clients and sends media
itself, so the threads only ever see whole requests. Alignments run in
`transcript-player worker` processes, not here.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 60
graceful_timeout = 30
keepalive = 20  # nginx keeps its upstream connections (keepalive 16)
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
