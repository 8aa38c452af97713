"""Small builders for hand-made events and logs in tests."""

from events import Log, event_from_dict

_counter = iter(range(1_000_000))


def make(kind, date="2000", actor="USA", target="BOL", id=None, **fields):
    """An event of `kind` with test defaults; pass target=None for unilateral kinds."""
    data = {"kind": kind, "id": id or f"{kind}-{next(_counter)}", "date": date, "actor": actor, "sources": ["test"]}
    if target is not None:
        data["target"] = target
    data.update(fields)
    return event_from_dict(data)


def log_of(*events):
    """A validated log of the events."""
    return Log.of(events)


def opened_relations(date="1900", a="USA", b="BOL"):
    """The events that set up established relations between a and b with mutual recognition."""
    return [
        make("recognition", date, a, b, id=f"{a}-recognises-{b}"),
        make("recognition", date, b, a, id=f"{b}-recognises-{a}"),
        make("relations_established", date, a, b, id=f"{a}-{b}-relations"),
    ]
