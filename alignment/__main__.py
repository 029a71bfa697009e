"""`python -m alignment align AUDIO TRANSCRIPT ...`: the library's command (`alignment.cli`)."""

from alignment.cli import main

main(prog_name="python -m alignment")
