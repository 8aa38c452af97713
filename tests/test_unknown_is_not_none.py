"""Unknown is not none: a post or head of mission attested only on a later date reads as possibly there before it."""

from __future__ import annotations

import datetime
import json

from hypothesis import given, settings

from engine import History, Post
from engine.analysis._timeline import timeline
from engine.cli._render import as_of_json, as_of_text, diff_json, timeline_json
from events import (
    EnvoyAccredited,
    EnvoyAttested,
    Log,
    PostAttested,
    PostClosed,
    PostOpened,
    Precision,
    RelationsEstablished,
    RelationsSevered,
    StateRecognized,
)
from events.strategies import imprecise_dates, valid_logs

KINDS = (
    "recognition",
    "relations_established",
    "relations_severed",
    "relations_reestablished",
    "post_opened",
    "post_closed",
    "post_attested",
    "envoy_accredited",
    "envoy_recalled",
    "envoy_attested",
)
CONSULATE = Post("consulate", "Cochabamba")


def log_of(*events):
    return Log.of(events)


def established(date="1849-01-13"):
    return RelationsEstablished(id="rel", date=date, actor="BOL", target="USA", sources=["s"])


def attested_post(event_id="att", date="1964"):
    return PostAttested(
        id=event_id, date=date, actor="USA", target="BOL", post="consulate", city="Cochabamba", sources=["s"]
    )


def attested_envoy(event_id="cow-1884", date="1884", rank="minister", envoy=None):
    return EnvoyAttested(id=event_id, date=date, actor="BOL", target="USA", rank=rank, envoy=envoy, sources=["s"])


class TestPostsAttestedLater:
    def test_before_the_attestation_the_post_is_possibly_open_citing_it(self):
        """A consulate attested open in 1964 is not 'none' in 1950: it is possibly open, citing the attestation."""
        history = History(log_of(established(), attested_post()))
        answer = history.state_at("BOL", "USA", "1950-06-01")
        assert CONSULATE not in answer.state.side("USA", "BOL").posts
        data = as_of_json(answer, history)
        assert data["possibly"]["USA->BOL"]["posts"] == [
            {"kind": "consulate", "city": "Cochabamba", "event": "att", "attested": "1964"}
        ]
        text = as_of_text(answer, history, {})
        assert "possibly consulate (Cochabamba) [attested 1964 (year): att]" in text
        assert "(unknown: see below)" in text

    def test_on_the_attestation_the_post_is_known_and_nothing_is_possibly(self):
        """From the attestation's first day the post is open in the state, and no longer listed as possible."""
        history = History(log_of(established(), attested_post()))
        answer = history.state_at("BOL", "USA", "1964-01-01")
        assert CONSULATE in answer.state.side("USA", "BOL").posts
        assert answer.possibly == ()

    def test_before_the_pair_has_any_event_nothing_is_possibly(self):
        """The unknown starts with the pair's history (its first event), not at the beginning of time."""
        history = History(log_of(established(), attested_post()))
        assert history.state_at("BOL", "USA", "1800-01-01").possibly == ()

    def test_a_dated_opening_before_the_attestation_explains_it(self):
        """A post opened in 1950 and attested in 1964 is known closed before 1950, not possibly open."""
        opened = PostOpened(
            id="open", date="1950", actor="USA", target="BOL", post="consulate", city="Cochabamba", sources=["s"]
        )
        history = History(log_of(established(), opened, attested_post()))
        assert history.state_at("BOL", "USA", "1940-01-01").possibly == ()

    def test_between_a_closing_and_a_later_attestation_a_reopening_is_possible(self):
        """Closed in 1930, attested open in 1964: in 1940 it is possibly open again (its reopening is undated)."""
        closed = PostClosed(
            id="closed", date="1930", actor="USA", target="BOL", post="consulate", city="Cochabamba", sources=["s"]
        )
        history = History(log_of(established(), attested_post("early", "1920"), closed, attested_post()))
        (possibility,) = history.state_at("BOL", "USA", "1940-01-01").possibly
        assert possibility.event_id == "att"
        (earlier,) = history.state_at("BOL", "USA", "1900-01-01").possibly
        assert earlier.event_id == "early"

    def test_diff_and_timeline_say_what_is_unknown(self):
        """diff lists the possibly-open post on the earlier day; the timeline says the attestation leaves it unknown
        before its date."""
        history = History(log_of(established(), attested_post()))
        first, second = history.state_at("BOL", "USA", "1950"), history.state_at("BOL", "USA", "1970")
        data = diff_json([], ("BOL", "USA"), first.asked, second.asked, (first.possibly, second.possibly))
        assert data["from"]["possibly"]["USA->BOL"]["posts"][0]["event"] == "att"
        assert data["to"]["possibly"]["USA->BOL"]["posts"] == []
        rows = timeline_json(timeline(history, "BOL", "USA"), ("BOL", "USA"))["events"]
        (row,) = [row for row in rows if row["id"] == "att"]
        assert row["unknown_before"][0]["kind"] == "consulate"
        json.dumps(rows)


class TestEnvoysAttestedLater:
    def test_before_the_attestation_the_head_of_mission_is_possibly_that_rank(self):
        """A Bolivian minister attested in 1884 reads, in 1870, as none known and possibly a minister."""
        history = History(log_of(established(), attested_envoy()))
        answer = history.state_at("BOL", "USA", "1870-01-01")
        assert answer.state.side("BOL", "USA").level == "none"
        assert as_of_json(answer, history)["possibly"]["BOL->USA"]["representation"] == [
            {"level": "minister", "envoy": None, "cow": 2, "event": "cow-1884", "attested": "1884"}
        ]
        assert "possibly minister" in as_of_text(answer, history, {})

    def test_on_its_day_the_attestation_sets_the_representation(self):
        """From its date the attested rank is the state, citing the attestation, as an accreditation would be."""
        history = History(log_of(established(), attested_envoy()))
        answer = history.state_at("BOL", "USA", "1885-01-01")
        assert (answer.state.side("BOL", "USA").level, answer.basis["representation BOL->USA"]) == (
            "minister",
            "cow-1884",
        )
        assert answer.possibly == ()

    def test_an_unnamed_attestation_keeps_the_known_envoy_of_that_rank(self):
        """An attestation of the rank already held, naming nobody, does not erase the envoy's name."""
        accredited = EnvoyAccredited(
            id="acc", date="1880", actor="BOL", target="USA", rank="minister", envoy="Someone", sources=["s"]
        )
        history = History(log_of(established(), accredited, attested_envoy()))
        side = history.state_at("BOL", "USA", "1885").state.side("BOL", "USA")
        assert (side.level, side.envoy) == ("minister", "Someone")

    def test_a_later_accreditation_replaces_it(self):
        """An accreditation after the attestation sets the representation as usual."""
        accredited = EnvoyAccredited(
            id="acc",
            date="1942-03-31",
            actor="BOL",
            target="USA",
            rank="ambassador",
            envoy="Luis Fernando Guachalla",
            sources=["s"],
        )
        history = History(log_of(established(), attested_envoy(), accredited))
        side = history.state_at("BOL", "USA", "1943").state.side("BOL", "USA")
        assert (side.level, side.envoy) == ("ambassador", "Luis Fernando Guachalla")

    def test_an_attested_minister_without_relations_is_an_impossible_transition(self):
        """A source showing a minister where the log has no relations contradicts the log (lenient: recorded)."""
        recognised = StateRecognized(id="rec", date="1848", actor="USA", target="BOL", sources=["s"])
        history = History(log_of(recognised, attested_envoy()), strict=False)
        assert [anomaly.rule for anomaly in history.anomalies] == [
            "BOL cannot have a minister in USA: relations are none"
        ]

    def test_a_severance_after_it_ends_it(self):
        """A severance withdraws an attested head of mission as it does an accredited one."""
        severed = RelationsSevered(id="cut", date="1900", actor="BOL", target="USA", sources=["s"])
        history = History(log_of(established(), attested_envoy(), severed))
        assert history.state_at("BOL", "USA", "1901").state.side("BOL", "USA").level == "none"


def _probe_days(log: Log) -> list[datetime.date]:
    days = set()
    for event in log:
        for day in (event.date.earliest, event.date.latest):
            days.add(day)
            if day > datetime.date.min:
                days.add(day - datetime.timedelta(days=1))
    return sorted(days)


@settings(max_examples=60)
@given(
    valid_logs(
        codes=("BOL", "USA"),
        kinds=KINDS,
        max_size=14,
        dates=imprecise_dates(
            min_year=1900, max_year=1903, precisions=(Precision.DAY, Precision.MONTH, Precision.YEAR)
        ),
    )
)
def test_an_attested_value_is_known_or_possibly_there_on_every_earlier_day(log):
    """For generated logs with attestations: on every day from the pair's first event to an attestation, the
    attested post is known open, or listed as possibly open citing an attestation of it no later than this one,
    or a dated opening in between explains it; the head of mission likewise. From the attestation on, the post
    is open until an event closes it (a closing of that post or a severance). Nothing is listed as possible
    that the state already shows."""
    history = History(log)
    events = list(log)
    if not history.pairs():
        return
    start = min(event.date.earliest for event in events if event.target is not None)
    for day in _probe_days(log):
        answer = history.state_at("BOL", "USA", day)
        for possibility in answer.possibly:
            frm, to = possibility.field.split(" ")[1].split("->")
            side = answer.state.side(frm, to)
            cited = log.events[log.position(possibility.event_id)]
            assert cited.date.earliest > day and day >= start
            if isinstance(possibility.value, Post):
                assert possibility.value not in side.posts
            else:
                assert (side.level, side.envoy) != possibility.value
        if day < start:
            assert answer.possibly == ()
            continue
        for attestation in events:
            if attestation.date.earliest <= day or attestation.KIND not in ("post_attested", "envoy_attested"):
                continue
            between = [event for event in events if day < event.date.earliest <= attestation.date.earliest]
            direction = (attestation.actor, attestation.target)
            side = answer.state.side(*direction)
            if isinstance(attestation, PostAttested):
                post = Post(attestation.post, attestation.city)
                explained = any(
                    isinstance(event, PostOpened)
                    and Post(event.post, event.city) == post
                    and (event.actor, event.target) == direction
                    for event in between
                )
                cites = {
                    item.event_id
                    for item in answer.possibly
                    if item.value == post and item.field == f"posts {direction[0]}->{direction[1]}"
                }
                citable = {
                    event.id
                    for event in between
                    if isinstance(event, PostAttested)
                    and Post(event.post, event.city) == post
                    and (event.actor, event.target) == direction
                }
                assert post in side.posts or explained or (cites and cites <= citable), (day, attestation.id)
            else:
                explained = any(
                    isinstance(event, (EnvoyAccredited, EnvoyAttested))
                    and (event.actor, event.target) == direction
                    and log.position(event.id) < log.position(attestation.id)
                    for event in between
                )
                listed = [
                    item for item in answer.possibly if item.field == f"representation {direction[0]}->{direction[1]}"
                ]
                known = side.level == attestation.rank and attestation.envoy in (None, side.envoy)
                assert known or explained or listed, (day, attestation.id)
    for attestation in events:
        if not isinstance(attestation, PostAttested):
            continue
        post = Post(attestation.post, attestation.city)
        direction = (attestation.actor, attestation.target)
        steps = history.steps("BOL", "USA")
        at = next(index for index, step in enumerate(steps) if step.event.id == attestation.id)
        assert post in steps[at].state.side(*direction).posts
        for step in steps[at + 1 :]:
            if post not in step.state.side(*direction).posts:
                assert isinstance(step.event, (PostClosed, RelationsSevered)), step.event.id
                break
