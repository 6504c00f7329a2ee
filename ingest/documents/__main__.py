"""``python -m ingest.documents check [stems] [--report]``: the annotation checker."""

import sys

from ingest.documents import main

sys.exit(main())
