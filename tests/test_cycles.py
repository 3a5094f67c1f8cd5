"""No import cycle inside the package (issue 21), type-only imports counted too: two
modules in a cycle cannot be read, tested or moved one without the other, and a
``TYPE_CHECKING`` import is still a dependency a reader follows."""

from __future__ import annotations

import pytest

PACKAGE = "export_licenses"


def test_no_module_imports_itself_through_others() -> None:
    # grimp is the graph import-linter checks the layers on (the lint extra).
    grimp = pytest.importorskip("grimp", reason="pip install -e '.[lint]'")
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=False)
    cycles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.add(" -> ".join((module, *back)))
    assert sorted(cycles) == []
