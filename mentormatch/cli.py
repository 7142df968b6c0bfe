"""Flask commands: `flask --app app <command>`."""
import time

import click
from flask import Flask

from . import demo
from .core import outbox
from .extensions import db
from .rounds.commands import register as register_round_commands
from .services import ServiceError, accounts, reminders
from .services.data_rights import retention


def register(app: Flask) -> None:
    register_round_commands(app)

    @app.cli.command("remind")
    def remind_command() -> None:
        """Send due reminders, expire unanswered items, pause silent mentors (run from cron)."""
        click.echo(reminders.run().summary())
        click.echo(outbox.deliver().summary())

    @app.cli.command("retention")
    @click.option("--dry-run", is_flag=True, help="Report what would be anonymised; change nothing.")
    def retention_command(dry_run: bool) -> None:
        """Anonymise the personal data of programs ended more than RETENTION_DAYS ago."""
        try:
            click.echo(retention.run(dry_run=dry_run).summary())
        except ValueError as error:
            raise click.ClickException(str(error)) from error

    @app.cli.command("deliver-mail")
    @click.option("--every", type=click.FloatRange(min=1), default=None,
                  help="Keep running and sweep the outbox every this many seconds.")
    def deliver_mail_command(every: float | None) -> None:
        """Send every due email in the outbox, retries included (cron, or a long-running sweeper)."""
        while True:
            click.echo(outbox.deliver().summary())
            if every is None:
                return
            time.sleep(every)

    @app.cli.command("create-coordinator")
    @click.option("--email", prompt=True)
    @click.option("--name", prompt=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_coordinator(email: str, name: str, password: str) -> None:
        """Create a coordinator account."""
        try:
            user = accounts.create_user(email=email, name=name, password=password, role="coordinator")
        except ServiceError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        click.echo(f"Coordinator {user.email} created.")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load demo data if it is not there yet, and print the demo accounts."""
        created = demo.seed()
        click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
        click.echo(f"Demo accounts (password for all: {demo.DEMO_PASSWORD}):")
        for role, email, name in demo.demo_accounts():
            click.echo(f"  {role:<12} {email:<40} {name}")
        click.echo("Open http://127.0.0.1:5000 and log in with one of them.")
