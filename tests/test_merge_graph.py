"""What ``log`` reads at a plain merge instead of merging it again
(``service/merge_graph``): the two sides apart and their merge base, as git
says them, and whether a store surely holds an id. A wrong True here would
hide a renumbering from ``log``; a False only costs a merge again."""

from __future__ import annotations

from export_licenses.service.merge_graph import Node, apart, holds


def _graph(parents: dict[str, str]) -> dict[str, Node]:
    """``{"m": "a b"}``, children listed before their parents."""
    return {
        commit: Node(order, tuple(of.split()), "")
        for order, (commit, of) in enumerate(parents.items())
    }


def test_the_sides_apart_and_the_one_base_they_meet_at() -> None:
    graph = _graph(
        {"a2": "a1", "b2": "b1", "a1": "base", "b1": "base", "base": "root", "root": ""}
    )
    found, bases = apart(graph, "a2", "b2") or ([], [])
    assert sorted(found) == ["a1", "a2", "b1", "b2"]
    assert bases == ["base"]


def test_one_side_an_ancestor_of_the_other_is_the_base() -> None:
    graph = _graph({"b2": "b1", "b1": "a", "a": "root", "root": ""})
    found, bases = apart(graph, "a", "b2") or ([], [])
    assert sorted(found) == ["b1", "b2"]
    assert bases == ["a"]


def test_a_criss_cross_has_two_bases_and_a_shallow_history_none() -> None:
    graph = _graph(
        {"x2": "x1 y1", "y2": "y1 x1", "x1": "root", "y1": "root", "root": ""}
    )
    found, bases = apart(graph, "x2", "y2") or ([], [])
    assert sorted(found) == ["x2", "y2"]
    assert sorted(bases) == ["x1", "y1"]
    assert apart(_graph({"a": "gone", "b": "gone"}), "a", "b") is None


STORE = """version = 1

[settings]
term_months = 6

[[application]]
id = "A1"
license = 5

[[license]]
id = 5
material = "gallium metal"

[[license]]
id = 50

[[license.shipments]]
id = 7
"""


def test_a_store_holds_an_id_under_its_own_header_only() -> None:
    assert holds(STORE, "5")
    assert holds(STORE, "50")
    assert holds(STORE, "A1")
    assert holds(STORE.replace("\n", "\r\n"), "5")
    assert not holds(STORE, "7")  # a shipment's, not a license's
    assert not holds(STORE, "A5")
    assert not holds(STORE, "1")
    assert not holds("[settings]\nid = 5\n", "5")


def test_what_could_mislead_is_not_taken_as_held() -> None:
    """A multi-line string could hold such lines, an indented line can be a
    header, and an id written otherwise is not searched for."""
    assert not holds(
        STORE.replace("term_months = 6", 'note = """\n[[license]]\nid = 9\n"""'), "5"
    )
    assert not holds("[[license]]\n  [license.extra]\nid = 5\n", "5")
    assert not holds("[[license]]\nid = 5 # checked\n", "5")
    assert not holds("[[license]]\nid = 5\n", "license 5")
    # TOML 1.1 lets an inline table span lines: its `id = 5` is no license's
    # (review s11-review2: Ben's license 5, moved to 6, was listed by log 5).
    spanning = STORE.replace("term_months = 6", "term_months = 6\nextra = {\nid = 9\n}")
    assert not holds(spanning, "9")
    assert not holds(
        "[[license]]\nid = 1\nextra = {\nid = 9\n}\n[[application]]\nid = 2\n"
        'more = {\nid = "A3"\n}\n',
        "A3",
    )
    assert not holds('[[license]]\nmaterial = "x"\nid = 5\n', "5")  # not first
