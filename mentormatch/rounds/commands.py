"""`flask solve` and `flask import`: the round and import services from the command line."""
from pathlib import Path

import click
from flask import Flask

from ..extensions import db
from ..models import Program
from ..models.rounds import Round
from ..services import ServiceError
from ..services.people import import_csv
from ..services.rounds import runs


def register(app: Flask) -> None:
    @app.cli.command("solve")
    @click.option("--round", "round_id", type=int, required=True, help="Id of the round to run.")
    def solve_command(round_id: int) -> None:
        """Run a round's optimizer here and now (same code path as the job runner)."""
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            raise click.ClickException(f"No round {round_id}.")
        app.config["SOLVE_RUNNER"] = "inline"
        try:
            run = runs.start_run(round_, None)
        except ServiceError as error:
            raise click.ClickException(error.message) from error
        db.session.refresh(run)
        click.echo(f"Run {run.id}: {run.status}; {run.matched_count} of {run.mentee_count} mentees matched, "
                   f"total score {run.total_score}; timings {run.timings}.")
        if run.error:
            click.echo(run.error, err=True)

    @app.cli.command("import")
    @click.option("--program", "program_id", type=int, required=True)
    @click.option("--dry-run", is_flag=True, help="Only check the file.")
    @click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_command(program_id: int, csv_file: Path, dry_run: bool) -> None:
        """Import mentors and mentees from a CSV into a program (all or nothing)."""
        program = db.session.get(Program, program_id)
        if program is None:
            raise click.ClickException(f"No program {program_id}.")
        text = csv_file.read_text(encoding="utf-8-sig")
        try:
            preview = import_csv.preview(program, text)
            for row in preview.rows:
                for error in row.errors:
                    click.echo(f"line {row.line}: {error}", err=True)
            if dry_run or not preview.ok:
                click.echo(f"{len(preview.rows)} rows, {preview.error_count} with errors; nothing imported.")
                return
            counts = import_csv.apply(program, text, None)
        except ServiceError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        click.echo(f"Imported {counts['rows']} people ({counts['created']} new accounts).")
