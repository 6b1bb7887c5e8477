"""``python -m imapkey.cli``."""

import sys

from imapkey.cli import main

sys.exit(main())
