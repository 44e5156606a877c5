"""`python -m generator.publish --serve` (`make serve`): a development preview of the portal."""

import sys

from generator.publish import main

sys.exit(main())
