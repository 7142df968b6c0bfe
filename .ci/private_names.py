"""No module of mentormatch uses another module's private name (issue 12): neither `from .x import _name`
nor `x._name` where x is a mentormatch module. Run by `make lint`; prints each use and exits 1 if any.

    python .ci/private_names.py [package-dir]     (default: mentormatch)
"""
import ast
import sys
from pathlib import Path


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(current: str, is_package: bool, level: int, module: str | None) -> str:
    """The absolute name of `from <level dots><module> import ...` written in module `current`."""
    if level == 0:
        return module or ""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def main(package_dir: str = "mentormatch") -> int:
    root = Path(package_dir).resolve()
    files = sorted(root.rglob("*.py"))
    modules = {module_name(f, root) for f in files}
    found = []
    for path in files:
        current, is_package = module_name(path, root), path.name == "__init__.py"
        tree = ast.parse(path.read_text(), filename=str(path))
        module_aliases = {}  # local name -> mentormatch module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = resolve(current, is_package, node.level, node.module)
                for alias in node.names:
                    if f"{source}.{alias.name}" in modules:
                        module_aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
                    elif is_private(alias.name) and source != current and source in modules:
                        found.append((path, node.lineno, f"imports {source}.{alias.name}"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules and alias.asname:
                        module_aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and is_private(node.attr) and isinstance(node.value, ast.Name)
                    and module_aliases.get(node.value.id, current) != current):
                found.append((path, node.lineno, f"uses {module_aliases[node.value.id]}.{node.attr}"))
    for path, line, what in sorted(found):
        print(f"{path.relative_to(root.parent)}:{line}: {what} (a private name of another module)")
    print(f"private names used across modules: {len(found)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
