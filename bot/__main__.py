"""``python -m bot``: same as the ``innovdeizh`` command."""

import sys

from bot.cli import main

sys.exit(main())
