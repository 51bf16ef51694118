"""Extraction at index time reads a file only inside the root: a file swapped for a link out
of the root (or for a FIFO) after discovery listed it is refused with a reason, and no name
from the outside file reaches the index."""

import os

import pytest

from ragex.config import load_config
from ragex.extract import ExtractionTask, extract_file
from ragex.front import Index
from ragex.indexer import CodeIndexer


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "ok.py").write_text("def fine():\n    pass\n")
    (root / "swapped.py").write_text("def inside():\n    pass\n")
    outside = tmp_path / "outside.py"
    outside.write_text("def secret_outside():\n    pass\n")
    return root, outside


def test_a_task_with_a_root_reads_only_inside_it(tree):
    root, outside = tree
    os.remove(root / "swapped.py")
    os.symlink(outside, root / "swapped.py")
    task = ExtractionTask(str(root / "swapped.py"), "swapped.py", root=str(root))
    result = extract_file(task)
    assert result.status == "failed" and "outside the root" in result.error
    assert not result.symbols
    follow = ExtractionTask(str(root / "swapped.py"), "swapped.py", root=str(root),
                            follow_outside=True)
    assert "secret_outside" in [s.name for s in extract_file(follow).symbols]
    named = ExtractionTask(str(root / "swapped.py"), "swapped.py")  # a user's own file
    assert extract_file(named).status == "ok"


@pytest.mark.parametrize("swap", ["link out", "fifo"])
def test_a_file_swapped_after_discovery_is_refused(tree, monkeypatch, swap):
    root, outside = tree
    listed = CodeIndexer.find_code_files

    def list_then_swap(self, *args, **kwargs):
        found = listed(self, *args, **kwargs)
        os.remove(root / "swapped.py")
        if swap == "fifo":
            os.mkfifo(root / "swapped.py")
        else:
            os.symlink(outside, root / "swapped.py")
        return found

    monkeypatch.setattr(CodeIndexer, "find_code_files", list_then_swap)
    index = Index(str(root), config=load_config(environ={}, flags={"use_parallel": "false"}))
    summary = index.update()
    [problem] = summary.problems
    assert problem["path"] == "swapped.py" and problem["status"] in ("failed", "skipped")
    assert "outside the root" in problem["reason"] or "not a regular file" in problem["reason"]
    assert not index.search("secret_outside").items
    assert index.search("fine").items
    index.close()
