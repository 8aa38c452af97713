import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import events
import events as ev
from events import (
    EVENT_KINDS,
    EnvoyAccredited,
    EnvoyExpelled,
    GovernmentChanged,
    InvalidValueError,
    OpinionPolled,
    RelationsSevered,
    StatementMade,
    event_from_dict,
    event_to_dict,
)
from events.strategies import any_event, events_of

BASE = {"id": "e1", "date": "2008-09-10", "actor": "BOL", "target": "USA", "sources": ["article"]}


class TestVocabulary:
    def test_first_class_kinds(self):
        """The five kinds the user named are registered with stable tags."""
        for tag in ("recognition", "envoy_expelled", "relations_severed", "aid_waiver", "relations_reestablished"):
            assert tag in EVENT_KINDS

    def test_every_kind_is_exported_and_frozen(self):
        """Every registered kind is a public name and cannot be changed after construction."""
        for tag, cls in EVENT_KINDS.items():
            assert getattr(events, cls.__name__) is cls
            assert cls.KIND == tag
        event = RelationsSevered(**BASE)
        with pytest.raises(AttributeError):
            event.date = "2009"

    def test_every_kind_summarises(self):
        """Every kind has its own one-line summary."""
        for cls in EVENT_KINDS.values():
            assert cls.summary is not events.Event.summary, cls.__name__


class TestValidation:
    @pytest.mark.parametrize(
        ("change", "field", "expected"),
        [
            ({"id": ""}, "id", "a non-empty string"),
            ({"date": "2008-13"}, "date", "a month from 01 to 12"),
            ({"date": 2008}, "date", "as a quoted string"),
            ({"actor": "bol"}, "actor", "an actor code"),
            ({"sources": []}, "sources", "at least one entry"),
            ({"sources": "article"}, "sources", "a list of strings"),
            ({"sources": [""]}, "sources", "a list of non-empty strings"),
            ({"caused_by": [3]}, "caused_by", "a list of non-empty strings"),
            ({"note": 5}, "note", "a string"),
            ({"target": "BOL"}, "target", "an actor other than the event's actor"),
            ({"target": None}, "target", "a relations_severed event has a target"),
        ],
    )
    def test_base_fields(self, change, field, expected):
        """A bad value of a common field names the field, what was expected and what was found."""
        with pytest.raises(InvalidValueError) as raised:
            RelationsSevered(**{**BASE, **change})
        assert raised.value.field == field
        assert expected in raised.value.expected

    def test_kind_fields(self):
        """Kind-specific fields are checked too."""
        with pytest.raises(InvalidValueError, match="one of ambassador, charge, minister, other"):
            EnvoyAccredited(**BASE, rank="consul")
        with pytest.raises(InvalidValueError, match="true or false"):
            EnvoyExpelled(**BASE, persona_non_grata="yes")
        with pytest.raises(InvalidValueError, match="no target"):
            GovernmentChanged(**BASE, leader="Evo Morales")
        with pytest.raises(InvalidValueError, match="a percentage from 0 to 100"):
            OpinionPolled(**BASE, question="q", results={"yes": 140})

    def test_target_optional_for_statements(self):
        """A statement may or may not name a target."""
        StatementMade(**{**BASE, "target": None})
        StatementMade(**BASE)


class TestCodec:
    def test_round_trip_every_kind(self):
        """Every kind survives event_to_dict then event_from_dict."""
        extra = {
            "envoy_accredited": {"rank": "ambassador", "envoy": "X"},
            "envoy_attested": {"rank": "minister"},
            "envoy_exchange_agreed": {"rank": "ambassador"},
            "persona_non_grata": {"person": "X"},
            "post_opened": {"post": "consulate", "city": "Cochabamba"},
            "post_closed": {"post": "consulate", "city": "Cochabamba"},
            "post_attested": {"post": "consulate", "city": "Cochabamba"},
            "agency_started": {"agency": "DEA"},
            "agency_expelled": {"agency": "USAID", "region": "Chapare"},
            "agency_withdrawn": {"agency": "DEA"},
            "aid_restricted": {"law": "Foreign Assistance Act"},
            "certification": {"decision": "decertified_waived"},
            "visa_policy": {"required": False},
            "government_changed": {"leader": "L", "how": "coup"},
            "state_dissolved": {"successors": ["PER", "BOL"]},
            "alignment": {"stance": "hostile"},
            "bloc_joined": {"bloc": "ALBA"},
            "bloc_left": {"bloc": "ALBA"},
            "poll": {"question": "q", "results": {"favorable": 55, "unfavorable": 29}},
            "operation": {"name": "Operation Blast Furnace"},
            "policy": {"name": "Law 1008"},
            "election": {"winner": "W"},
            "extradition": {"person": "P"},
            "visit": {"visitor": "V"},
            "negotiation": {"outcome": "none"},
            "statement": {"statement": "accusation", "quote": "q"},
            "protest": {"participants": 20000},
            "sanction_imposed": {"programme": "P", "scope": ["targeted", "travel"], "basis": "E.O. 13692", "count": 7},
            "sanction_widened": {"programme": "P", "scope": ["financial"], "basis": "E.O. 13835"},
            "sanction_eased": {"programme": "P", "scope": ["travel"]},
            "sanction_lifted": {"programme": "P"},
            "designation_added": {"list_name": "SDGT", "entity": "Cartel de los Soles"},
            "designation_removed": {"list_name": "state sponsors of terrorism"},
            "government_recognized": {"government": "G", "rival": True},
            "government_recognition_withdrawn": {"government": "G"},
            "protecting_power_started": {"protector": "PER"},
            "protecting_power_ended": {"protector": "PER"},
            "staff_expelled": {"count": 3, "persons": ["A", "B"], "positions": ["vice consul"]},
            "staff_capped": {"cap": 17},
            "ordered_departure": {"staff": "non-emergency staff"},
            "operations_suspended": {"post": "embassy", "city": "Caracas"},
            "nomination": {"nominee": "N", "rank": "ambassador"},
            "nomination_refused": {"nominee": "N", "how": "agrement_withdrawn"},
            "nomination_withdrawn": {"nominee": "N"},
            "coded_event": {
                "code": "1621",
                "goldstein": -5.6,
                "source_url": "https://example.org/a",
                "mentions": 4,
                "source_count": 2,
                "articles": 3,
                "reports": 2,
            },
        }
        for tag, cls in EVENT_KINDS.items():
            data = {"kind": tag, **BASE, **extra.get(tag, {}), "note": "n", "caused_by": ["x"]}
            if cls.TARGET == "none":
                del data["target"]
            event = event_from_dict(data)
            assert type(event) is cls
            assert event_from_dict(event_to_dict(event)) == event

    def test_defaults_left_out(self):
        """Written events leave out fields at their default value and put the kind first."""
        data = event_to_dict(RelationsSevered(**BASE))
        assert list(data) == ["kind", "id", "date", "actor", "target", "sources"]

    @pytest.mark.parametrize(
        ("data", "field", "expected"),
        [
            ({**BASE, "kind": "relations_broken"}, "kind", "one of"),
            ({**BASE}, "kind", "an event kind"),
            (
                {**BASE, "kind": "relations_severed", "colour": "red"},
                "colour",
                "one of the fields of relations_severed",
            ),
            ({"kind": "relations_severed", "id": "x", "actor": "BOL", "sources": ["a"]}, "date", "a value"),
            ({**BASE, "kind": "envoy_accredited"}, "rank", "a value"),
            ([1, 2], "event", "a table of fields"),
        ],
    )
    def test_bad_dicts(self, data, field, expected):
        """A bad table names the field, what was expected and what was found."""
        with pytest.raises(InvalidValueError) as raised:
            event_from_dict(data)
        assert raised.value.field == field and expected in raised.value.expected


class TestIdentity:
    def test_repr_names_kind_and_every_field(self):
        """An event's repr is its class name and every field as `name=value`, in order (as attrs writes it)."""
        event = EnvoyExpelled(**BASE, envoy="Philip Goldberg")
        assert repr(event) == (
            "EnvoyExpelled(id='e1', date=ImpreciseDate(year=2008, month=9, day=10, precision=<Precision.DAY: "
            "'day'>, uncertain=False, approximate=False), actor='BOL', target='USA', sources=('article',), "
            "note='', caused_by=(), envoy='Philip Goldberg', successor=None, persona_non_grata=True)"
        )

    @given(any_event())
    def test_repr_of_every_kind(self, event):
        """Every kind's repr lists all of its own fields, not only the ones every event has."""
        shown = ", ".join(f"{field.name}={getattr(event, field.name)!r}" for field in attrs.fields(type(event)))
        assert repr(event) == f"{type(event).__name__}({shown})"

    @given(any_event())
    def test_a_rebuilt_event_is_equal_with_the_same_hash(self, event):
        """An event read back from its table equals the original and hashes alike (usable in sets and dicts)."""
        copy = event_from_dict(event_to_dict(event))
        assert copy == event and (copy != event) is False and hash(copy) == hash(event)
        assert len({event, copy}) == 1

    @given(st.data())
    def test_one_different_field_makes_events_unequal(self, data):
        """Two events of a kind are equal exactly when every field is, kind-specific fields included."""
        event = data.draw(any_event())
        other = data.draw(events_of(type(event)))
        for field in attrs.fields(type(event)):
            try:
                changed = attrs.evolve(event, **{field.name: getattr(other, field.name)})
            except InvalidValueError:
                continue  # e.g. a new actor equal to the target
            assert (changed == event) is (getattr(other, field.name) == getattr(event, field.name)), field.name

    def test_kinds_with_the_same_fields_differ(self):
        """Events of two kinds are never equal, even with the same fields."""
        started, resumed = events.AidStarted(**BASE), events.AidResumed(**BASE)
        assert started != resumed and started == events.AidStarted(**BASE)
        assert (started == object()) is False


class TestDocumented:
    def test_readme_lists_every_kind(self):
        """The model page's table of kinds names every registered kind, so the docs cannot drift."""
        from pathlib import Path

        readme = (Path(__file__).parent.parent / "docs" / "model.md").read_text(encoding="utf-8")
        missing = [tag for tag in EVENT_KINDS if f"| `{tag}` |" not in readme]
        assert missing == []


@pytest.mark.parametrize("rank", ev.RANKS)
def test_summaries_name_ranks_as_the_state_table_does(rank):
    """A timeline summary says "chargé d'affaires" where the state table does, never the file tag "charge"."""
    from engine.cli._render import LEVEL_WORDS

    accredited = ev.EnvoyAccredited(
        id="x", date=ev.parse_date("2000"), actor="USA", target="BOL", sources=("s",), rank=rank, envoy="N. N."
    )
    assert f"as {LEVEL_WORDS[rank]} in BOL" in accredited.summary()
    agreed = ev.EnvoyExchangeAgreed(
        id="y", date=ev.parse_date("2000"), actor="USA", target="BOL", sources=("s",), rank=rank
    )
    assert f"at {LEVEL_WORDS[rank]} level" in agreed.summary()
