"""The strategies' model of the state, written apart from the rule book, agrees with the fold on every valid log.

The model draws valid logs by tracking what each rule's preconditions need (`events/strategies/_model.py`);
here what it tracked after the last event is compared with what the pure fold computed, field by field. So the
rule book's effects are judged by an independent second account, not only its refusals: a rule that set the
wrong rank, dropped a name or kept a closed post would disagree with the model.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Side, fold
from events import Log
from events.strategies._atoms import DEFAULT_ACTORS
from events.strategies._valid import _draw_valid


@st.composite
def _logs_with_their_model(draw):
    drawn = _draw_valid(
        draw, min_size=0, max_size=24, codes=DEFAULT_ACTORS, table=None, kinds=None, dates=None, max_causes=0
    )
    return Log.of(drawn.events, drawn.table), drawn.model


def _as_the_model_keeps_it(side):
    """A frozen `Side` in the shape of the model's `_Direction`."""
    return {
        "recognizes": side.recognizes,
        "level": side.level,
        "envoy": side.envoy,
        "posts": {(post.kind, post.city) for post in side.posts},
        "agencies": {agency.name: set(agency.excluded_regions) for agency in side.agencies},
        "aid": side.aid,
        "persona_non_grata": set(side.persona_non_grata),
        "government": side.government,
        "government_status": side.government_status,
        "sanctions": {sanction.programme: (set(sanction.scope), list(sanction.basis)) for sanction in side.sanctions},
        "designations": {(designation.list_name, designation.entity) for designation in side.designations},
        "protecting_power": side.protecting_power,
        "mission_status": side.mission_status,
        "staff_cap": (side.staff_capped, side.staff_cap),
        "nominee": None if side.nominee is None else (side.nominee, side.nominee_rank, side.nominee_status),
    }


def _the_models(direction):
    return {name: getattr(direction, name) for name in _as_the_model_keeps_it(Side())}


# Five times the profile's examples: one example is cheap (a log of up to 24 events and one fold), and a rule's
# effect is judged only where a drawn log reaches it (a refused nominee needs a nomination pending first).
@settings(max_examples=5 * settings.default.max_examples)
@given(_logs_with_their_model())
def test_the_fold_and_the_strategies_model_agree_on_every_pair_and_direction(drawn):
    log, model = drawn
    world = fold(log)
    for (frm, to), direction in model.directions.items():
        side = world.pair(frm, to).side(frm, to)
        assert _as_the_model_keeps_it(side) == _the_models(direction), (frm, to)
    for key, relations in model.relations.items():
        assert world.pair(*key).relations == relations, key
    for key, consular in model.consular.items():
        assert world.pair(*key).consular == consular, key
