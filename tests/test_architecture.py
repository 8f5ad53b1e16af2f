"""The shape of the code: no import cycle, dependencies one way, no module too long to carry.

Read from the source with `ast` (imports inside functions count too), so no database is needed.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each package may import the ones on its left, never those on its right: `config` is the ground
# floor (settings, URLs and shared mechanisms, no app), `accounts` the roof above the domain apps.
LAYERS = ("config", "territoires", "pratiques", "observatoire", "accounts")
PACKAGES = LAYERS
# The URL configuration and the settings name every app: they are wiring, not ground-floor code.
WIRING = {"config.urls", "config.settings"}
MAX_LINES = 600
# Modules still above MAX_LINES: this list only shrinks (split the module, then remove it here).
TOO_LONG_FOR_NOW: set[str] = set()


def module_files() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules imported anywhere in this file (`from a import b` counts `a.b` if a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # `import a.b.c` or `from a.b import c` (a function) depends on the deepest module.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    known = set(files)
    return {name: imported_modules(name, path, known) for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if state.get(start):
            continue
        path: list[str] = [start]
        stack = [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def without_package_inits(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package `__init__` that re-exports its modules is not a cycle with them."""
    return {
        name: {target for target in targets if not name.startswith(f"{target}.")}
        for name, targets in graph.items()
    }


def test_no_import_cycle() -> None:
    cycle = find_cycle(without_package_inits(import_graph()))
    assert cycle is None, "cycle d'imports : " + " → ".join(cycle or [])


def test_find_cycle_sees_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_dependencies_point_one_way() -> None:
    wrong = []
    for name, targets in import_graph().items():
        if name in WIRING:
            continue
        app = name.split(".")[0]
        allowed = set(LAYERS[: LAYERS.index(app) + 1])
        wrong += [f"{name} → {t}" for t in sorted(targets) if t.split(".")[0] not in allowed]
    assert wrong == []


def test_no_module_too_long() -> None:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in module_files().values()
    }
    too_long = {name for name, count in lengths.items() if count > MAX_LINES}
    assert too_long <= TOO_LONG_FOR_NOW, sorted(too_long - TOO_LONG_FOR_NOW)
    # The allow-list shrinks: a module split below the limit leaves it.
    assert too_long >= TOO_LONG_FOR_NOW, sorted(TOO_LONG_FOR_NOW - too_long)


# Templates Django itself looks up by name: error pages, and the auth views' `registration/…`.
TEMPLATES_BY_CONVENTION = {"400.html", "403.html", "404.html", "500.html"}
TEMPLATE_DIRS_BY_CONVENTION = ("registration/",)


def template_names_in_code() -> tuple[str, set[str], list[re.Pattern[str]]]:
    """All text of the code and templates, the string constants, f-strings as patterns."""
    texts: list[str] = []
    constants: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for path in module_files().values():
        source = path.read_text()
        texts.append(source)
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and re.search(r"\.(html|txt)", ast.unparse(node)):
                parts = [
                    re.escape(part.value) if isinstance(part, ast.Constant) else ".+"
                    for part in node.values
                ]
                patterns.append(re.compile("".join(parts)))
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file():
            texts.append(path.read_text())
    return "\n".join(texts), constants, patterns


def test_no_unused_template() -> None:
    """Every template is named somewhere: in full, by an f-string, or as a folder + a file name."""
    text, constants, patterns = template_names_in_code()
    folders = {constant for constant in constants if constant.endswith("/")}
    unused = []
    for path in sorted((ROOT / "templates").rglob("*")):
        name = path.relative_to(ROOT / "templates").as_posix()
        if not path.is_file() or name in TEMPLATES_BY_CONVENTION:
            continue
        if name.startswith(TEMPLATE_DIRS_BY_CONVENTION):
            continue
        if f'"{name}' in text or f"'{name}" in text:
            continue
        if any(pattern.fullmatch(name) for pattern in patterns):
            continue
        if any(name.startswith(f) and name.removeprefix(f) in constants for f in folders):
            continue
        unused.append(name)
    assert unused == []


# --- every table written by its owner ---------------------------------------------------------------

WRITES = {"create", "save", "update", "delete", "get_or_create", "update_or_create"}
# Django's people tables (accounts, role groups, people history) and django-axes' lockouts: the
# primitives are on the ground floor (`config.people`, so that pratiques may activate a campaign's
# account) and the journeys in the accounts app.
PEOPLE = {"User", "Group", "LogEntry", "AccessAttempt"}
PEOPLE_WRITERS = ("config.people", "accounts")
# Modules that still write another app's tables: this list only shrinks (call the owner's service).
FOREIGN_WRITES_FOR_NOW: set[str] = set()


def model_owners() -> dict[str, str]:
    """Model class name → its app, read from each app's models module(s)."""
    owners: dict[str, str] = {}
    for name, path in module_files().items():
        app, _, rest = name.partition(".")
        if rest != "models" and not rest.startswith("models."):
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                owners[node.name] = app
    return owners


def is_write(method: str) -> bool:
    return method in WRITES or method.startswith("bulk_")


def root_model(node: ast.expr, models: set[str], variables: dict[str, str]) -> str | None:
    """The model a chain such as `Follow.objects.filter(…).first()` or `item` starts from."""
    while True:
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "get_object_or_404":
                node = node.args[0] if node.args else node.func
                continue
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr == "groups":  # `user.groups.add(…)` writes the role groups
                return "Group"
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            if node.id in models:
                return node.id
            return variables.get(node.id)
        else:
            return None


def annotated_model(annotation: ast.expr | None, models: set[str]) -> str | None:
    if isinstance(annotation, ast.Name) and annotation.id in models:
        return annotation.id
    if isinstance(annotation, ast.Constant) and annotation.value in models:
        return str(annotation.value)
    return None


def foreign_writes(name: str, path: Path, owners: dict[str, str]) -> set[str]:
    """`module → Model.method` for each write of a model this module's app does not own."""
    models = set(owners) | PEOPLE
    app = name.split(".")[0]
    tree = ast.parse(path.read_text())
    variables: dict[str, str] = {}  # a variable → the model it holds (whole module, by name)
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and (model := annotated_model(node.annotation, models)):
            variables[node.arg] = model
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if model := annotated_model(node.annotation, models):
                variables[node.target.id] = model
        elif isinstance(node, ast.Assign | ast.For):
            value = node.value if isinstance(node, ast.Assign) else node.iter
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            model = root_model(value, models, {})
            for target in targets:
                first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
                if model and isinstance(first, ast.Name):
                    variables[first.id] = model
    found = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        on_groups = isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "groups"
        if not is_write(method) and not (on_groups and method in {"add", "set", "remove", "clear"}):
            continue
        model = root_model(node.func.value, models, variables)
        if model is None:
            continue
        allowed = name.startswith(PEOPLE_WRITERS) if model in PEOPLE else owners[model] == app
        if not allowed:
            found.add(f"{name} → {model}.{method}")
    return found


def test_every_table_is_written_by_its_owner() -> None:
    owners = model_owners()
    writers = set()
    found = []
    for name, path in module_files().items():
        if name in WIRING:
            continue
        writes = foreign_writes(name, path, owners)
        if writes and name not in FOREIGN_WRITES_FOR_NOW:
            found += sorted(writes)
        writers |= {name} if writes else set()
    assert found == []
    # The allow-list shrinks: a module that now calls the owner's service leaves it.
    assert writers >= FOREIGN_WRITES_FOR_NOW, sorted(FOREIGN_WRITES_FOR_NOW - writers)


def test_a_foreign_write_is_seen(tmp_path: Path) -> None:
    source = tmp_path / "follows.py"
    source.write_text(
        "def seen(user: User, follow: Follow) -> None:\n"
        "    follow.save()\n"
        "    for item in Follow.objects.filter(user=user):\n"
        "        item.delete()\n"
        "    Mandate.objects.filter(user=user).update(status='x')\n"
        "    user.groups.add(1)\n"
        "    Indicator.objects.create(name='x')\n"
    )
    owners = {"Follow": "territoires", "Mandate": "territoires", "Indicator": "observatoire"}
    assert foreign_writes("observatoire.follows", source, owners) == {
        "observatoire.follows → Follow.save",
        "observatoire.follows → Follow.delete",
        "observatoire.follows → Mandate.update",
        "observatoire.follows → Group.add",
    }


def private_imports(path: Path) -> set[str]:
    """`from module import _name` of a project module: a private helper borrowed from elsewhere."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PACKAGES:
            found |= {
                f"{node.module}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            }
    return found


def test_no_private_name_imported_from_another_module() -> None:
    """A helper two modules need is public, in a small shared module (e.g. `pratiques.views_shared`)."""
    found = {
        f"{name} ← {private}"
        for name, path in module_files().items()
        for private in private_imports(path)
    }
    assert found == set()


# Modules that still enqueue directly (the report batch stores its task id): only shrinks.
ENQUEUE_DIRECTLY_FOR_NOW = {"observatoire.report.tasks"}


def test_one_task_spelling_and_one_way_to_enqueue() -> None:
    """`@task` without parentheses; work enqueued through `config.tasks.enqueue_on_commit`."""
    spelled, direct = [], set()
    for name, path in module_files().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                spelled += [
                    f"{name}.{node.name}"
                    for decorator in node.decorator_list
                    if isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Name)
                    and decorator.func.id == "task"
                    and not decorator.args
                    and not decorator.keywords
                ]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "enqueue"
                and name != "config.tasks"
            ):
                direct.add(name)
    assert spelled == []
    assert direct == ENQUEUE_DIRECTLY_FOR_NOW


def test_a_fragment_is_named_by_template_plus_its_name() -> None:
    """`template += "#name"` is the one spelling: no literal `"page.html#name"` in the code."""
    literal = sorted(
        f"{name}: {node.value}"
        for name, path in module_files().items()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ".html#" in node.value
    )
    assert literal == []


def _string_value(node: ast.expr, constants: dict[str, str]) -> str | None:
    """A str expression made of literals and module constants (`T + "page.html"`), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string_value(node.left, constants), _string_value(node.right, constants)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):  # f"dashboard_{space}.html": a pattern, `*` for each hole
        parts = [
            _string_value(v, constants) if isinstance(v, ast.Constant) else "*" for v in node.values
        ]
        return "".join(part or "" for part in parts)
    return None


def rendered_fragments() -> list[tuple[str, str, str]]:
    """(module, template, fragment) for every `template = …` followed by `template += "#name"`."""
    found = []
    for name, path in module_files().items():
        tree = ast.parse(path.read_text())
        constants: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                value = _string_value(node.value, constants)
                if isinstance(target, ast.Name) and value is not None:
                    constants[target.id] = value
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            template = None
            for node in sorted(
                (n for n in ast.walk(function) if isinstance(n, ast.Assign | ast.AugAssign)),
                key=lambda n: (n.lineno, n.col_offset),
            ):
                if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "template":
                    template = _string_value(node.value, constants)
                elif isinstance(node, ast.AugAssign) and ast.unparse(node.target) == "template":
                    for constant in ast.walk(node.value):
                        value = getattr(constant, "value", None)
                        if isinstance(value, str) and value.startswith("#"):
                            found.append((name, str(template), value[1:]))
    return found


def test_a_rendered_fragment_is_a_partialdef_of_its_page() -> None:
    """`template += "#name"` names a `{% partialdef name %}` of that very template."""
    missing = []
    fragments = rendered_fragments()
    for module, template, fragment in fragments:
        paths = sorted((ROOT / "templates").glob(template)) if template != "None" else []
        declared = re.compile(r"\{%\s*partialdef\s+" + re.escape(fragment) + r"(\s+inline)?\s*%\}")
        if not paths or not all(declared.search(path.read_text()) for path in paths):
            missing.append(f"{module}: {template}#{fragment}")
    assert missing == []
    assert len(fragments) > 40  # the reading above still finds the views' fragments


# Views that still read a yes/no answer by hand (accounts is rewritten on another branch): shrinks.
RAW_YES_NO_FOR_NOW = {"accounts.views"}
YES_NO_SPELLINGS = {"oui", "non", "1", "0", "on", "off", "confirmer", "yes", "no", "true", "false"}


def test_a_yes_no_post_is_read_by_the_yes_no_form() -> None:
    """`request.POST.get("x") == "oui"` (or "1", "on", "confirmer"…) → `config.forms.YesNoForm`."""
    raw = set()
    for name, path in module_files().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            posted = any("request.POST.get(" in ast.unparse(side) for side in sides)
            literal = any(
                isinstance(s, ast.Constant) and s.value in YES_NO_SPELLINGS for s in sides
            )
            if posted and literal:
                raw.add(name)
    assert raw == RAW_YES_NO_FOR_NOW


# Views that still catch a model's DoesNotExist as a business answer (campaigns is rewritten on
# another branch): this list only shrinks. A service refuses with `Refused`; a view catches that.
DOES_NOT_EXIST_CAUGHT_FOR_NOW = {"pratiques.campaigns.views", "pratiques.campaigns.services"}


def test_no_does_not_exist_as_a_business_rule() -> None:
    caught = set()
    for name, path in module_files().items():
        for node in ast.walk(ast.parse(path.read_text())):
            handler = isinstance(node, ast.ExceptHandler) and node.type is not None
            if handler and "DoesNotExist" in ast.unparse(node.type):  # type: ignore[attr-defined]
                caught.add(name)
    assert caught == DOES_NOT_EXIST_CAUGHT_FOR_NOW


def test_no_dead_function() -> None:
    """A module-level function nobody calls (code, tests, templates, bench) is deleted."""
    texts = [path.read_text() for path in module_files().values()]
    texts += [p.read_text() for p in (ROOT / "tests").rglob("*.py")]
    texts += [p.read_text() for p in (ROOT / "bench").rglob("*.py")]
    texts += [p.read_text() for p in (ROOT / "templates").rglob("*") if p.is_file()]
    uses = Counter(re.findall(r"\w+", "\n".join(texts)))
    dead = []
    for name, path in module_files().items():
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.decorator_list:
                continue
            if node.name.startswith("__") or node.name in {"handle", "add_arguments"}:
                continue
            if uses[node.name] <= 1:
                dead.append(f"{name}.{node.name}")
    assert dead == []


# An id printed in an HTML attribute: USE_THOUSAND_SEPARATOR renders 1281 as « 1 281 », so ids,
# labels' `for`, names and values no longer match once a table passes 999 rows.
ATTRIBUTE = re.compile(r'\s[\w:-]+="([^"]*)"')
LOCALISED_ID = re.compile(r"\{\{\s*[\w.]*(?:\.pk|_pk)\s*\}\}")
ID_IN_WITH = re.compile(r"\{%\s*with\b[^%]*?\b\w+=[\w.]*(?:\.pk|_pk)(?=[\s%])")


def localised_ids(text: str) -> list[str]:
    """`{{ x.pk }}` inside an attribute, or `{% with pid=x.pk %}`, without `|stringformat:"d"`."""
    found = [
        match.group(0)
        for attribute in ATTRIBUTE.finditer(text)
        for match in LOCALISED_ID.finditer(attribute.group(1))
    ]
    return found + [match.group(0) for match in ID_IN_WITH.finditer(text)]


def test_ids_in_html_attributes_are_not_localised() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {snippet}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for snippet in localised_ids(path.read_text())
    ]
    assert found == []


def test_a_localised_id_is_seen() -> None:
    assert localised_ids('<li id="axe-{{ axis.pk }}">{{ axis.pk }}</li>') == ["{{ axis.pk }}"]
    assert localised_ids('<a href="?parent={{ practice_pk }}">') == ["{{ practice_pk }}"]
    assert localised_ids("{% with pid=practice.pk %}") == ["{% with pid=practice.pk"]
    assert localised_ids('<li id="axe-{{ axis.pk|stringformat:"d" }}">') == []
    assert localised_ids('{% with pid=practice.pk|stringformat:"d" %}') == []


YEAR_PRINTED = re.compile(r"\{\{\s*[\w.]*(?:year|vintage|millesime)\s*\}\}")


def test_years_are_printed_without_a_thousands_separator() -> None:
    """USE_THOUSAND_SEPARATOR prints the integer 2024 as « 2 024 »: a year goes through the
    ``year`` filter (the glossary's rule, issue 28; an example's year printed « (2 024) »)."""
    found = [
        f"{path.relative_to(ROOT)}: {match}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in YEAR_PRINTED.findall(path.read_text())
    ]
    assert found == []
