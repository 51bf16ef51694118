"""The index remembers the settings that decide its file set (--include, --exclude, --hidden,
--no-ignore, --follow-outside, --max-file-bytes): a plain run keeps them, a run that gives
them changes them and says so, and a changed size limit re-extracts only the files whose
size it moves across."""

import json

import pytest

from ragex.cli import main


@pytest.fixture
def tree(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "src" / "a.py").write_text("def a():\n    pass\n")
    (root / "src" / "b.go").write_text("package b\n\nfunc B() {}\n")
    (root / ".hidden" / "h.py").write_text("def h():\n    pass\n")
    (root / "big.py").write_text("def big():\n    pass\n" + "# padding\n" * 300)  # ~3 KB
    monkeypatch.chdir(root)
    return root


def index_json(capsys, *flags):
    assert main(["index", ".", "--json", *flags]) == 0
    return json.loads(capsys.readouterr().out)


def paths(capsys):
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    return status, {p for lang in status["by_language"].values() for p in lang}


def test_a_plain_run_keeps_the_file_set(tree, capsys):
    first = index_json(capsys, "--include", "*.py", "--hidden")
    assert first["indexed"] == 3 and first["notes"] == []
    again = index_json(capsys)  # a plain run: the same three files, nothing redone
    assert (again["indexed"], again["unchanged"], again["removed"]) == (0, 3, 0)
    status, _ = paths(capsys)
    assert status["file_set"]["discovery"]["include"] == ["*.py"]
    assert "--include *.py --hidden" == status["file_set"]["described"]

    changed = index_json(capsys, "--exclude", ".hidden/**")  # given: replaces the set
    assert changed["removed"] == 1 and changed["indexed"] == 1  # h.py out, b.go in
    assert "the file set changed from --include *.py --hidden to --exclude .hidden/**" \
        in changed["notes"][0]
    forgot = index_json(capsys, "--forget-file-set")
    assert forgot["notes"][0].endswith("to the defaults: remembered for the next runs "
                                       "(--forget-file-set returns to the defaults)")
    assert index_json(capsys)["notes"] == []


def test_a_new_size_limit_redoes_only_the_files_it_moves(tree, capsys):
    first = index_json(capsys, "--max-file-bytes", "1000")
    assert first["skipped"] == 1 and first["problems"][0]["path"] == "big.py"
    again = index_json(capsys)  # remembered: big.py stays skipped, nothing redone
    assert (again["indexed"], again["skipped"], again["unchanged"]) == (0, 0, 3)
    raised = index_json(capsys, "--max-file-bytes", "100000")
    assert (raised["indexed"], raised["unchanged"]) == (1, 2)  # only big.py
    assert main(["symbols", "big", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["path"] == "big.py"
    lowered = index_json(capsys, "--max-file-bytes", "2000")
    assert (lowered["skipped"], lowered["unchanged"]) == (1, 2)
