"""The `reasonscope` command. Each subcommand group lives in its own module and registers itself,
so importing the CLI stays cheap: heavy libraries are imported inside the commands."""

from __future__ import annotations

import typer

from reasonscope.cli import analyze, bench, compare, demo, evaluate, pools, train

app = typer.Typer(
    name="reasonscope",
    help="Which reasoning skills a model has, and how fine-tuning moves them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

for module in (bench, evaluate, compare, train, analyze, pools, demo):
    module.register(app)


def main() -> None:
    app()
