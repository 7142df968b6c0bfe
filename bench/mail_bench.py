"""Round-approval mail: N notices one SMTP connection each vs. one connection for the batch,
against a real local SMTP server (aiosmtpd, as in the tests).

    .venv/bin/python bench/mail_bench.py [--count 1000]
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402

from mentormatch import create_app  # noqa: E402
from mentormatch.services import notify  # noqa: E402
from tests.smtp import SMTP_CONFIG, SMTP_PORT, Inbox  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    n = parser.parse_args().count
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    server.start()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench", **SMTP_CONFIG})
    batch = [(f"person{i}@example.org", "You have a proposed mentor", "Hello,\n" + "words " * 60) for i in range(n)]
    try:
        with app.app_context():
            started = time.perf_counter()
            for message in batch:
                notify.send(*message)
            each = time.perf_counter() - started
            got_each = len(inbox.wait_for(n))
            inbox.clear()
            started = time.perf_counter()
            notify.send_many(batch)
            shared = time.perf_counter() - started
            got_shared = len(inbox.wait_for(n))
    finally:
        server.stop()
    print(f"{n} notices, one connection each: {each:.2f} s ({got_each} received)")
    print(f"{n} notices, one connection:      {shared:.2f} s ({got_shared} received), {each / shared:.1f}x faster")


if __name__ == "__main__":
    main()
