import json
import subprocess
import sys

import networkx as nx
import pytest

from engine.analysis.alignment import read_graph
from engine.cli import main
from events import scenario_of, write_scenario

from factories import make

EVENTS = [
    make("alignment", "2006-01", "BOL", "VEN", id="bol-ven", stance="aligned"),
    make("alignment", "2006-05", "BOL", "CUB", id="bol-cub", stance="aligned"),
    make("alignment", "2007", "VEN", "USA", id="ven-usa", stance="hostile"),
    make("alignment", "2007", "CUB", "USA", id="cub-usa", stance="aligned"),
    make("bloc_joined", "2006-04-29", "BOL", None, id="bol-alba", bloc="ALBA"),
    make("bloc_joined", "2004-12-14", "VEN", None, id="ven-alba", bloc="ALBA"),
    make("envoy_expelled", "2008-09-10", "BOL", "USA", id="goldberg"),
]


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "history.toml"
    write_scenario(scenario_of(EVENTS, name="tiny", pair=("BOL", "USA")), path)
    return str(path)


def run(capsys, *argv):
    status = main(["graph", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


class TestWholeGraph:
    def test_json_is_node_link_with_signed_edges(self, capsys, scenario):
        """`--format json` prints node-link JSON in which every edge has its sign."""
        status, out, _ = run(capsys, "--at", "2010", "--format", "json", "--scenario", scenario)
        data = json.loads(out)
        assert status == 0
        assert data["graph"] == {"at": "2010-12-31"}
        edges = {(e["source"], e["target"]): e["sign"] for e in data["edges"]}
        assert edges[("BOL", "USA")] == -1
        assert edges[("BOL", "VEN")] == 1

    @pytest.mark.parametrize("format", ["graphml", "gexf"])
    def test_xml_exports_load_with_networkx(self, capsys, scenario, tmp_path, format):
        """GraphML and GEXF written with --output load back into the graph the JSON describes."""
        target = tmp_path / f"g.{format}"
        assert run(capsys, "--at", "2010", "--format", format, "-o", str(target), "--scenario", scenario)[0] == 0
        _, out, _ = run(capsys, "--at", "2010", "--format", "json", "--scenario", scenario)
        loaded = read_graph(target.read_text(encoding="utf-8"), format)
        assert nx.utils.graphs_equal(loaded, read_graph(out, "json"))

    def test_text_lists_edges_blocs_and_balance(self, capsys, scenario):
        """The text view names each edge with its sign and date, the blocs and the balanced share."""
        status, out, _ = run(capsys, "--at", "2010", "--scenario", scenario)
        assert status == 0
        assert "Alignment graph on 2010-12-31: 5 nodes, 7 edges" in out
        assert "hostile  Bolivia (BOL) with United States (USA), since 2008-09-10 (goldberg)" in out
        assert "Blocs: ALBA BOL CUB USA VEN" in out
        assert "Balance: 2 of 3 triads balanced (67%)" in out


class TestViews:
    def test_actor_allies_adversaries_and_changes(self, capsys, scenario):
        """`--actor` lists allies and adversaries; `--since` adds what changed, with event ids."""
        status, out, _ = run(capsys, "--at", "2010", "--actor", "bol", "--since", "2005", "--format", "json",
                             "--scenario", scenario)  # fmt: skip
        data = json.loads(out)
        assert status == 0
        assert [a["actor"] for a in data["allies"]] == ["ALBA", "CUB", "VEN"]
        assert data["adversaries"] == [{"actor": "USA", "sign": -1, "since": "2008-09-10", "events": ["goldberg"]}]
        assert {c["actor"]: (c["before"], c["after"]) for c in data["changes"]}["USA"] == (0, -1)

    def test_balance_lists_the_pairs_unbalanced_triads(self, capsys, scenario):
        """`--balance` gives the balanced share and flags the pair's unbalanced triads."""
        status, out, _ = run(capsys, "--at", "2010", "--balance", "--scenario", scenario)
        assert status == 0
        assert "Cuba (CUB): - + +  UNBALANCED" in out
        assert "Venezuela (VEN): - + -  balanced" in out

    def test_agreement_series(self, capsys, scenario):
        """`--agreement A B --from DATE` gives a yearly series of the agreeing share."""
        status, out, _ = run(capsys, "--at", "2008", "--agreement", "BOL", "USA", "--from", "2006", "--format", "json",
                             "--scenario", scenario)  # fmt: skip
        series = json.loads(out)
        assert status == 0
        assert [(row["date"], row["share"]) for row in series] == [
            ("2006-12-31", None),
            ("2007-12-31", 0.5),
            ("2008-12-31", 0.5),
        ]

    def test_blocs(self, capsys, scenario):
        """`--blocs` lists the groups joined by aligned edges."""
        _, out, _ = run(capsys, "--at", "2005", "--blocs", "--format", "json", "--scenario", scenario)
        assert json.loads(out) == {"at": "2005-12-31", "blocs": [["ALBA", "VEN"]]}


class TestErrors:
    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            (["--at", "2010", "--actor", "XXX"], "unknown actor 'XXX'"),
            (["--at", "June"], "bad date 'June'"),
            (["--at", "2010", "--balance", "--format", "gexf"], "exports the whole graph"),
            (["--at", "2010", "--blocs", "--balance"], "at most one of"),
            (["--at", "2010", "--since", "2000"], "--since goes with --actor"),
            (["--at", "2000", "--agreement", "BOL", "USA", "--from", "2010"], "comes after"),
        ],
    )
    def test_errors_are_one_line_and_exit_2(self, capsys, scenario, argv, expected):
        """A bad request prints one line on stderr and exits with status 2."""
        status, out, err = run(capsys, *argv, "--scenario", scenario)
        assert status == 2
        assert out == ""
        assert expected in err
        assert err.count("\n") == 1

    def test_the_command_runs_as_a_program(self, scenario):
        """`python -m engine.cli graph --format json` prints parseable node-link JSON."""
        done = subprocess.run(
            [sys.executable, "-m", "engine.cli", "graph", "--at", "2010", "--format", "json", "--scenario", scenario],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert {e["sign"] for e in json.loads(done.stdout)["edges"]} == {1, -1}

    def test_help_shows_an_example(self, capsys):
        """`legation graph --help` shows examples."""
        assert main(["graph", "--help"]) == 0
        assert "legation graph --at 2010 --format json" in capsys.readouterr().out


class TestStartUp:
    def test_the_cli_does_not_import_networkx(self):
        """Importing engine and its CLI leaves networkx unimported (only `legation graph` loads it)."""
        code = "import sys, engine, engine.cli; print('networkx' in sys.modules)"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "False"
