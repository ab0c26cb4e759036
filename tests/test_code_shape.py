"""The engine stays in small pieces: short modules, short functions (the design card's one concept per file)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_LINES = 300
FUNCTION_LINES = 60


def engine_files() -> list[Path]:
    return sorted((ROOT / "models").rglob("*.py"))


def test_engine_modules_are_short():
    long = {}
    for path in engine_files():
        lines = len(path.read_text().splitlines())
        if lines > MODULE_LINES:
            long[str(path.relative_to(ROOT))] = lines
    assert long == {}


def test_engine_functions_are_short():
    long = {}
    for path in engine_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = lines
    assert long == {}


def test_engine_reports_with_logging_not_print():
    calls = []
    for path in engine_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls == []
