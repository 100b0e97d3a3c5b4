"""Record real traffic into fixtures once, replay it offline (issue #13).

    record --out DIR        proxy: every exchange with the upstream becomes a rule  (proxy)
    serve --record-on-miss  the sandbox forwards what no rule answers, and keeps it  (miss)
    GET /_sandbox/requests/{id}/fixture   a journal entry as a rule               (entry)

One function makes a rule of an exchange, for all three: ``exchange.exchange_rule``.
The modules, in the order an exchange passes them:

    upstream   relay a request with httpx; the answer passes through as it arrives
    stream     SSE bytes -> events -> the one Message (as the SDK folds them); pacing
    capture    a relayed exchange, secrets scrubbed (redact), kept in the recording
    match      the minimal match that picks a request and no other recorded one
    exchange   the rule: match + reply / error (+ stream pacing)
    recording  one run's rules as one fixture file, rewritten atomically
    document   the YAML a person reads: a comment per rule
"""

from .exchange import Exchange, UpstreamError, exchange_rule

__all__ = ["Exchange", "UpstreamError", "exchange_rule"]
