"""The `post_attested` kind: a post a source shows open, whose opening no source dates."""

from __future__ import annotations

import pytest

from engine import Post, TransitionError, fold
from events import InvalidValueError, PostAttested, PostClosed, PostOpened, event_from_dict, event_to_dict


def attested(**changes):
    fields = dict(id="att", date="1964", actor="USA", target="BOL", post="consulate", city="Cochabamba", sources=["s"])
    fields.update(changes)
    return PostAttested(**fields)


def closed(date="2014-12-19"):
    return PostClosed(
        id="close", date=date, actor="USA", target="BOL", post="consulate", city="Cochabamba", sources=["s"]
    )


class TestPostAttested:
    def test_opens_the_post(self):
        """An attested post is open in the state from the attestation on."""
        world = fold([attested()])
        assert Post("consulate", "Cochabamba") in world.pair("BOL", "USA").side("USA", "BOL").posts

    def test_lets_a_later_closure_pass_strict_mode(self):
        """Closing an attested post is a possible transition; closing an unknown post is not."""
        assert fold([attested(), closed()]).pair("BOL", "USA").side("USA", "BOL").posts == frozenset()
        with pytest.raises(TransitionError, match="no open consulate in Cochabamba"):
            fold([closed()])

    def test_attesting_an_open_post_breaks_no_rule(self):
        """Attesting a post the log already opened records no anomaly and changes nothing."""
        opened = PostOpened(
            id="open", date="1950", actor="USA", target="BOL", post="consulate", city="Cochabamba", sources=["s"]
        )
        before = fold([opened])
        after = fold([opened, attested()], strict=False)
        assert after.anomalies == ()
        assert after.pair("BOL", "USA") == before.pair("BOL", "USA")

    def test_refuses_an_unknown_post_kind(self):
        """The post kind must be one of the known kinds."""
        with pytest.raises(InvalidValueError, match="post"):
            attested(post="palace")

    def test_round_trips_through_a_dict(self):
        """The event written as a dict reads back equal, under its stable tag."""
        event = attested(note="undated opening")
        data = event_to_dict(event)
        assert data["kind"] == "post_attested"
        assert event_from_dict(data) == event

    def test_summary_says_attested_not_opened(self):
        """The timeline line says the post is attested open, not that it opened."""
        assert "attested open" in attested().summary()
