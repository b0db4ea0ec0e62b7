"""No button hands its ``clicked(bool)`` to a method whose first parameter means something else.

PySide passes a signal's arguments to a slot that can take them: ``button.clicked.connect(self.export_xlsx)`` with
``def export_xlsx(self, path=None)`` calls ``export_xlsx(False)``, and the click does nothing but log an error. This
was found three times by following the manual (另存为PDF…, 登记处理结果…, 导出Excel…). The check reads the GUI's
source: every ``….connect(self.method)`` inside a class whose method takes a first parameter with a default must go
through a ``lambda`` instead (or the parameter must be a ``bool`` meant for the signal).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pensiondesk.gui

GUI = Path(pensiondesk.gui.__file__).parent


def _suspicious_connections(source: str, filename: str) -> list[str]:
    tree = ast.parse(source, filename)
    found = []
    for cls in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
        defaults = {}
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and len(item.args.args) > 1 and item.args.defaults:
                first = item.args.args[1]
                annotation = ast.unparse(first.annotation) if first.annotation else ""
                if annotation != "bool":
                    defaults[item.name] = f"{first.arg}: {annotation}"
        for node in ast.walk(cls):
            if not (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
            ):
                continue
            target = node.args[0] if node.args else None
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and target.attr in defaults
            ):
                found.append(f"{filename}:{node.lineno} {cls.name}.{target.attr}({defaults[target.attr]})")
    return found


def test_no_signal_argument_lands_in_a_parameter_meant_for_something_else() -> None:
    found = [
        problem
        for path in sorted(GUI.glob("*.py"))
        for problem in _suspicious_connections(path.read_text(encoding="utf-8"), path.name)
    ]
    assert not found, "connect through a lambda:\n" + "\n".join(found)


def test_the_check_finds_the_mistake() -> None:
    source = """
class Page:
    def __init__(self):
        self.button.clicked.connect(self.export)
        self.other.clicked.connect(lambda: self.export())

    def export(self, path=None):
        pass
"""
    assert _suspicious_connections(source, "page.py") == ["page.py:4 Page.export(path: )"]
