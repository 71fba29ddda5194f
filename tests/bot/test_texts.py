"""Every word has one name: the texts' modules are star-imported together, so a name defined
in two of them would silently replace the other's words."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

TEXTS = Path(__file__).parents[2] / "bot" / "texts"


def test_no_name_is_defined_by_two_texts_modules() -> None:
    defined: dict[str, set[str]] = defaultdict(set)
    for module in TEXTS.glob("*.py"):
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined[node.name].add(module.name)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        defined[target.id].add(module.name)

    assert {name: where for name, where in defined.items() if len(where) > 1} == {}
