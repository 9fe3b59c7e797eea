"""Webhooks 事件推送: a department's or a district's own system hears of the case events in its scope.

`outbox` records one delivery per (subscription, event) in the step's own transaction (the
recorder calls it beside the notifications) and sends them after the commit: signed, retried by
beat's pass with a growing wait, each try kept with the receiver's answer, and the subscription
paused with a notice after WEBHOOK_MAX_FAILURES failures in a row. `services` is every write the
pages make; `selectors` the reads; `pages` the back office. The signature recipe is in the README.
"""
