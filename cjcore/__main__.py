"""Run the command line: ``python -m cjcore list | validate FILE... | project FILE | baseline-template | ...``."""

from cjcore.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
