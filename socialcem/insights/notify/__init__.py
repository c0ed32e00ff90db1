"""Alert and digest notifications: channels, a retrying outbox, webhook and e-mail delivery.

Alerting calls ``enqueue`` inside its own transaction; ``deliver_due`` (the
``socialcem notify send`` command, e.g. from cron) sends apart, so no receiver can slow
ingest down.
"""

from socialcem.insights.notify.base import (
    SEVERITIES,
    DeliveryError,
    Message,
    Notifier,
    notifier_for,
    severity_rank,
)
from socialcem.insights.notify.channels import (
    Channel,
    add_channel,
    get_channel,
    list_channels,
    remove_channel,
)
from socialcem.insights.notify.outbox import (
    DeadLetter,
    DeliveryReport,
    RetryPolicy,
    dead_letters,
    deliver_due,
    enqueue,
    replay,
)

__all__ = [
    "SEVERITIES",
    "Channel",
    "DeadLetter",
    "DeliveryError",
    "DeliveryReport",
    "Message",
    "Notifier",
    "RetryPolicy",
    "add_channel",
    "dead_letters",
    "deliver_due",
    "enqueue",
    "get_channel",
    "list_channels",
    "notifier_for",
    "remove_channel",
    "replay",
    "severity_rank",
]
