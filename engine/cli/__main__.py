"""`python -m engine.cli`: the `legation` command without the answer cache."""

import sys

from engine.cli import main

sys.exit(main())
