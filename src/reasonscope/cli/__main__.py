"""`python -m reasonscope.cli` (used by `accelerate launch -m reasonscope.cli ...`)."""

from reasonscope.cli import main

main()
