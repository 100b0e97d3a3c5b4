"""Drive a running sandbox with whichever ``anthropic`` SDK this interpreter has installed.

Run by ``tests/compat/run.sh`` inside throwaway venvs pinned to older SDKs (0.x, 1.x), whose
wire habits differ from the newest one the test suite uses: ``x-api-key`` instead of Bearer,
``?beta=true`` on beta calls, ``anthropic-beta`` headers for files and batches, a stream
decoder that drops every event but the six named ones, the ``has_more`` files page, and the
retry rules of their day. One line per check; exit status 1 when any check fails.

    SANDBOX_URL=http://127.0.0.1:8080 SANDBOX_KEY=sk-... python tests/compat/sdk_checks.py

The checks live in ``sdk_messages``, ``sdk_resources`` and ``sdk_errors`` (what they share in
``sdk_client``); this driver runs them in that order.
"""

from __future__ import annotations

import sys

import sdk_errors
import sdk_messages
import sdk_resources
from harness import Checks
from sdk_client import LABEL


def main() -> int:
    checks = Checks()
    for part in (sdk_messages, sdk_resources, sdk_errors):
        checks.registered += part.checks.registered
    return checks.run(LABEL)


if __name__ == "__main__":
    sys.exit(main())
