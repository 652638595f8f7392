"""Structured logs: one JSON object per line, so a collector can filter by event and user."""

import json
import logging
from datetime import UTC, datetime

events = logging.getLogger("laichau_agri.events")

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_event(event: str, level: int = logging.INFO, **fields) -> None:
    events.log(level, event, extra={"event": event, **fields})
