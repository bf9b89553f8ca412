"""Every sentence for people is marked for the catalogue, read from the source itself.

The catalogue test (tests/test_translations.py) compares what ``pybabel extract`` finds with the
.po; these tests catch what it cannot: an error raised with an unmarked f-string (never
extracted, so never translated), and a marker Babel's extractor does not see (inside an
f-string expression, Python 3.11 tokenizes the whole f-string as one string).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).parent.parent / "src" / "ivig_dose"
#: what an InputError may be given: a message made here, or one made elsewhere and passed on.
MADE = (ast.Call, ast.Name, ast.Attribute, ast.IfExp)


def modules() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def calls(tree: ast.AST, name: str) -> list[ast.Call]:
    """Every call of a function or class named ``name`` (``InputError(...)``, ``N_(...)``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called == name:
                found.append(node)
    return found


def plain_text(node: ast.AST) -> bool:
    """An f-string, a string literal or text glued together: English that no catalogue will hold."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "message":
        return False
    return isinstance(node, ast.JoinedStr | ast.Constant | ast.BinOp) or not isinstance(node, MADE)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_every_input_error_carries_a_translatable_message(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    unmarked = [f"{path.name}:{call.lineno}" for call in calls(tree, "InputError")
                if call.args and plain_text(call.args[0])]
    assert unmarked == [], "raise InputError(message(N_('...'), name=value)), not an f-string"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_every_reason_is_said_in_a_translatable_message(path: Path) -> None:
    # a Reason's text and blinded text are the "why" block; "" (nothing to say blinded) is fine
    tree = ast.parse(path.read_text("utf-8"))
    unmarked = [f"{path.name}:{call.lineno}" for call in calls(tree, "Reason")
                for argument in call.args[1:3]
                if plain_text(argument) and not (isinstance(argument, ast.Constant) and argument.value == "")]
    assert unmarked == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_every_message_template_is_a_marked_literal(path: Path) -> None:
    # message(N_("...")) lets pybabel find the template; message(f"...") or message(text) would not
    tree = ast.parse(path.read_text("utf-8"))
    unmarked = []
    for call in calls(tree, "message"):
        first = call.args[0] if call.args else None
        marked = isinstance(first, ast.Call) and isinstance(first.func, ast.Name) and first.func.id == "N_"
        if not marked and not isinstance(first, ast.Name | ast.Attribute | ast.Subscript | ast.IfExp):
            unmarked.append(f"{path.name}:{call.lineno}")
    assert unmarked == []


def marked_literals() -> set[str]:
    """Every literal the source gives to ``N_``, wherever it stands (f-strings included)."""
    found = set()
    for path in modules():
        for call in calls(ast.parse(path.read_text("utf-8")), "N_"):
            argument = call.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


def test_every_marked_literal_is_found_by_the_extractor(extracted) -> None:
    missing = marked_literals() - {m.id for m in extracted if m.id}
    assert missing == set(), "pybabel does not see these: move N_(...) out of the f-string"


def test_the_source_has_marked_literals() -> None:
    # without this, the tests above could pass by finding nothing
    assert "ivig-dose: error: {message}" in marked_literals()
    assert len(marked_literals()) > 300
