#!/usr/bin/env python3
"""Build the handouts.  Run ``python build.py --help`` for the commands and options."""

import sys

from factsheet.cli import main

if __name__ == "__main__":
    sys.exit(main())
