"""Mail through the outbox, against a real local SMTP server (aiosmtpd, as in the tests).

Three figures from one run, alternating, medians of --repeat:
  queue    what a round's approval now pays: N notices rendered from their template (text and HTML)
           and written in its transaction, committed;
  deliver  what the sender (thread, RQ worker or cron) pays later: claim, send, mark sent;
  bare     the reference: the same N messages over one smtplib connection, no database at all.

    .venv/bin/python bench/mail_bench.py [--count 1745] [--repeat 3] [--database-url URL]
"""
import argparse
import smtplib
import statistics
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402

from mentormatch import create_app  # noqa: E402
from mentormatch.core import outbox  # noqa: E402
from mentormatch.extensions import db  # noqa: E402
from mentormatch.models import OutboxMessage  # noqa: E402
from tests.smtp import SMTP_CONFIG, SMTP_PORT, Inbox  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1745, help="messages (1,745: the approval in issue 11)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    n = args.count
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    server.start()
    app = create_app({"TESTING": True, "ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "MAIL_DELIVERY": "cron", **SMTP_CONFIG})
    people = [(f"person{i}@example.org", f"Person {i}") for i in range(n)]
    times = {"queue": [], "deliver": [], "bare": []}
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            batch = [(to, notice(name)) for to, name in people]  # what the bare reference sends
            for _ in range(args.repeat):
                inbox.clear()
                started = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", SMTP_PORT) as smtp:
                    for to, mail in batch:
                        message = EmailMessage()
                        message["From"], message["To"], message["Subject"] = "bench@example.org", to, mail.subject
                        message.set_content(mail.text)
                        message.add_alternative(mail.html, subtype="html")
                        smtp.send_message(message)
                times["bare"].append(time.perf_counter() - started)
                assert len(inbox.wait_for(n)) == n

                inbox.clear()
                started = time.perf_counter()
                outbox.send_many([(to, notice(name)) for to, name in people])
                db.session.commit()
                times["queue"].append(time.perf_counter() - started)
                started = time.perf_counter()
                report = outbox.deliver()
                times["deliver"].append(time.perf_counter() - started)
                assert report.sent == n and len(inbox.wait_for(n)) == n, report
                db.session.execute(db.delete(OutboxMessage))
                db.session.commit()
            db.drop_all()
    finally:
        server.stop()
    queue, deliver, bare = (statistics.median(times[k]) for k in ("queue", "deliver", "bare"))
    print(f"{n} notices on {url.split(':')[0]}, median of {args.repeat}:")
    print(f"  queue in the approval's transaction: {queue:6.2f} s")
    print(f"  deliver from the outbox:             {deliver:6.2f} s  ({deliver / bare:.2f}x the bare reference)")
    print(f"  bare smtplib, one connection:        {bare:6.2f} s")


def notice(name: str) -> outbox.Mail:
    """A mentee's approval notice, as a round's approval renders it."""
    return outbox.render("round_proposal_mentee", name=name, program_name="Spring cohort",
                         mentors=["Ana Mentor"])


if __name__ == "__main__":
    main()
