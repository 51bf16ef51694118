"""Resolution of stored references at query time, on a real index of a small package:
every step of the ladder (local, member, import, package, unique_name, ambiguous,
unresolved), and the edges after real edits of the defining files."""

import os
import textwrap

import pytest

from ragex.config import load_config
from ragex.front import Index
from ragex.references import Ref, Resolver

FILES = {
    "app/__init__.py": """\
        from .models import User
        """,
    "app/models.py": """\
        from .util import helper


        class Base:
            def save(self):
                return self.validate()

            def validate(self):
                return True


        class User(Base):
            def save(self):
                self.validate()
                super().save()
                return helper()
        """,
    "app/util.py": """\
        def helper():
            return 1


        def other():
            return helper()
        """,
    "app/views.py": """\
        import app.models
        from app import User as U
        from app.util import *
        from . import util


        def show():
            u = U()
            u.save()
            app.models.Base().validate()
            helper()
            util.helper()
            len([])

            def inner():
                pass
            inner()


        class View(app.models.Base):
            def render(self):
                return self.save()
        """,
}


def write_tree(root, files):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


@pytest.fixture
def index(tmp_path):
    root = tmp_path / "proj"
    write_tree(root, FILES)
    index = Index(str(root), config=load_config(environ={}, flags={"use_parallel": "false"}))
    index.update()
    yield index
    index.close()


def resolved(index, path, line, name):
    """(how, [qualified names of the candidates]) of the reference `name` on that line."""
    store = index.store()
    rows = [r for r in store.conn.execute(
        "SELECT r.file_id, f.path, f.language, r.line, r.col, r.name, r.kind, r.qualifier, "
        "r.alias FROM refs r JOIN files f ON f.id = r.file_id "
        "WHERE f.path = ? AND r.line = ? AND r.name = ?", (path, line, name))]
    assert len(rows) == 1, (path, line, name, rows)
    resolution = Resolver(store).resolve(Ref(*rows[0]))
    return resolution.how, [t.qualified_name for t in resolution.targets]


@pytest.mark.parametrize("path, line, name, how, targets", [
    # self. finds the member in the class, else in its bases
    ("app/models.py", 6, "validate", "member", ["app.models.Base.validate"]),
    ("app/models.py", 14, "validate", "member", ["app.models.Base.validate"]),
    ("app/models.py", 15, "save", "member", ["app.models.Base.save"]),  # super()
    ("app/models.py", 16, "helper", "import", ["app.util.helper"]),  # relative import
    ("app/util.py", 6, "helper", "local", ["app.util.helper"]),
    ("app/views.py", 8, "U", "import", ["app.models.User"]),  # alias of a re-export
    ("app/views.py", 9, "save", "ambiguous", ["app.models.Base.save",
                                             "app.models.User.save"]),  # an untyped local
    ("app/views.py", 10, "validate", "import", ["app.models.Base.validate"]),  # Base()
    ("app/views.py", 11, "helper", "import", ["app.util.helper"]),  # a wildcard import
    ("app/views.py", 12, "helper", "import", ["app.util.helper"]),  # module alias
    ("app/views.py", 13, "len", "unresolved", []),  # a builtin
    ("app/views.py", 17, "inner", "local", ["app.views.show.inner"]),
    ("app/views.py", 20, "Base", "import", ["app.models.Base"]),  # a base class by path
    ("app/views.py", 22, "save", "member", ["app.models.Base.save"]),  # through that base
    ("app/views.py", 1, "models", "import", ["app.models"]),  # the import itself
])
def test_each_step_of_the_ladder(index, path, line, name, how, targets):
    got_how, got = resolved(index, path, line, name)
    assert (got_how, sorted(got)) == (how, sorted(targets))


def _callers(index, name):
    answer = index.call_hierarchy(name, "incoming", 1, 100)
    return sorted((child.symbol.qualified_name, child.how)
                  for tree in answer.items for child in tree.children if child.symbol)


def test_edits_of_the_defining_file_never_leave_stale_edges(index):
    root = index.root
    assert _callers(index, "app.util.helper") == [
        ("app.models.User.save", "import"), ("app.util.other", "local"),
        ("app.views.show", "import")]
    # the definition is renamed: its old callers call nothing ragex knows
    util = os.path.join(root, "app/util.py")
    with open(util, "w") as fh:
        fh.write("def helper2():\n    return 1\n\n\ndef other():\n    return helper2()\n")
    index.update()
    answer = index.references("helper")
    assert answer.fields["targets"] == [] and answer.notes  # no definition named helper
    assert {hit.resolution.how for hit in answer.items} == {"unresolved"}
    assert _callers(index, "helper2") == [("app.util.other", "local")]
    # it moves to models.py, where User.save now finds it in its own file
    with open(util, "w") as fh:
        fh.write("def other():\n    return 2\n")
    models = os.path.join(root, "app/models.py")
    with open(models) as fh:
        text = fh.read().replace("from .util import helper\n", "def helper():\n    return 3\n")
    with open(models, "w") as fh:
        fh.write(text)
    index.update()
    assert _callers(index, "helper") == [("app.models.User.save", "local")]
    # the caller's file is deleted: its edges go with it
    os.remove(os.path.join(root, "app/models.py"))
    index.update()
    assert _callers(index, "helper") == []
    assert index.references("helper").fields["targets"] == []
