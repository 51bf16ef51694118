"""The real `ragex` CLI end to end, against a real index in a temporary directory."""

import json
import os
import pty
import subprocess
import sys

import pytest

from ragex.cli import main


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    write(root, "shop/__init__.py", "")
    write(root, "shop/cart.py", '''\
"""Shopping cart."""
from decimal import Decimal


class Cart:
    """Holds items."""

    def add_item(self, sku: str, qty: int = 1) -> None:
        """Add an item."""
        self.items.append((sku, qty))  # TODO: merge duplicates

    def total(self) -> Decimal:
        return Decimal(0)


class CartItem:
    pass


def cart_factory() -> Cart:
    return Cart()


def make_carts():
    return [cart_factory()]
''')
    write(root, "svc/main.go", "package svc\n\ntype Cart struct{ ID int }\n\n"
                               "func (c *Cart) Add(n int) error { return nil }\n")
    monkeypatch.chdir(root)
    assert main(["index", ".", "--no-progress"]) == 0
    return root


def run_json(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_symbols_ranking_and_filters(project, capsys):
    code, hits = run_json(capsys, "symbols", "Cart", "--json")
    assert code == 0
    assert [(h["qualified_name"], h["match"]) for h in hits[:2]] == [
        ("shop.cart.Cart", "exact"), ("svc.Cart", "exact")]
    matches = [h["match"] for h in hits]
    assert matches == sorted(matches, key=["exact", "prefix", "substring", "fuzzy"].index)
    assert {h["name"] for h in hits if h["match"] == "prefix"} >= {"CartItem", "cart_factory"}
    substring = [h["name"] for h in hits if h["match"] == "substring"]
    assert substring[0] == "make_carts"  # its name matches, not only its scope
    _, go_only = run_json(capsys, "symbols", "Cart", "--lang", "go", "--json")
    assert {h["language"] for h in go_only} == {"go"}
    _, methods = run_json(capsys, "symbols", "add", "--kind", "method", "--json")
    assert {h["qualified_name"] for h in methods} == {"shop.cart.Cart.add_item", "svc.Cart.Add"}
    _, in_svc = run_json(capsys, "symbols", "Cart", "--path", "svc/*", "--json")
    assert {h["path"] for h in in_svc} == {"svc/main.go"}
    _, fuzzy = run_json(capsys, "symbols", "add_itme", "--json")
    assert fuzzy[0]["name"] == "add_item" and fuzzy[0]["match"] == "fuzzy"
    _, dotted = run_json(capsys, "symbols", "Cart.total", "--json")
    assert dotted[0]["qualified_name"] == "shop.cart.Cart.total"
    assert main(["symbols", "zzzznothing"]) == 1
    assert main(["symbols", "x", "--kind", "gadget"]) == 2
    assert "unknown kind" in capsys.readouterr().err


def test_outline_show_grep_tags(project, capsys):
    code, tree = run_json(capsys, "outline", "shop/cart.py", "--json")
    module = tree[0]
    cart = [c for c in module["children"] if c["name"] == "Cart"][0]
    assert [c["name"] for c in cart["children"]] == ["add_item", "total"]
    assert main(["outline", "shop/cart.py"]) == 0
    text = capsys.readouterr().out
    assert "  class class Cart  [5-13]" in text and "    method def total(self) -> Decimal" in text

    assert main(["show", "Cart.add_item"]) == 0
    shown = capsys.readouterr().out
    assert shown.splitlines()[0].startswith("==> shop/cart.py:8-10 method shop.cart.Cart.add_item")
    assert "self.items.append((sku, qty))" in shown

    assert main(["grep", "TODO"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("shop/cart.py:10:") and line.endswith(
        "[method shop.cart.Cart.add_item]")
    assert main(["grep", "TODO("]) == 2
    assert "bad pattern" in capsys.readouterr().err

    assert main(["tags", "-o", "tags"]) == 0
    lines = (project / "tags").read_text().splitlines()
    body = [l for l in lines if not l.startswith("!_TAG_")]
    assert body == sorted(body, key=lambda l: l.encode())
    cart_line = [l for l in body if l.startswith("add_item\t")][0]
    name, path, address, *fields = cart_line.split("\t")
    assert (path, address) == ("shop/cart.py", '8;"')
    assert "kind:method" in fields and "class:shop.cart.Cart" in fields
    assert any(f.startswith("signature:def add_item(") for f in fields)


def test_status_json(project, capsys):
    code, status = run_json(capsys, "status", "--json")
    assert status["state"] == "complete"
    assert status["by_language"]["python"]["ok"]["files"] == 2
    assert status["by_language"]["go"]["ok"]["files"] == 1


def test_queries_from_a_subdirectory_find_the_index(project, capsys, monkeypatch):
    monkeypatch.chdir(project / "shop")
    code, hits = run_json(capsys, "symbols", "make_carts", "--json")
    assert code == 0 and hits[0]["path"] == "shop/cart.py"


def test_no_index_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAGEX_INDEX_DIR", raising=False)
    assert main(["symbols", "x"]) == 2
    assert "run `ragex index" in capsys.readouterr().err


def test_extract_formats_and_summary(project, capsys):
    assert main(["extract", "shop", "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    records = [json.loads(l) for l in captured.out.splitlines()]
    assert {r["qualified_name"] for r in records} >= {"shop.cart.Cart.add_item"}
    assert records[0]["path"].startswith("shop/")
    assert captured.err.strip().splitlines()[-1].startswith(
        "ragex: 2 files, %d symbols, 0 skipped, 0 failed" % len(records))
    assert main(["extract", "svc/main.go", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["qualified_name"] for d in data if d["kind"] == "method"] == ["svc.Cart.Add"]
    assert main(["extract", "shop/cart.py", "--format", "table"]) == 0
    assert "shop/cart.py:8\tmethod\tshop.cart.Cart.add_item\tdef add_item(" in \
        capsys.readouterr().out
    (project / "blob.py").write_bytes(b"\0\0\0")
    assert main(["extract", "blob.py"]) == 0  # bad input is not a usage error
    assert "skipped: blob.py: binary" in capsys.readouterr().err
    assert main(["extract", "no/such/file.py"]) == 2


@pytest.mark.slow
def test_progress_bar_only_on_a_terminal(tmp_path):
    for i in range(60):
        (tmp_path / f"m{i}.py").write_text(f"def f{i}():\n    pass\n")
    cmd = [sys.executable, "-m", "ragex", "extract", str(tmp_path), "--workers", "2"]
    piped = subprocess.run(cmd, capture_output=True)
    assert b"\r" not in piped.stderr and b"files/s" not in piped.stderr

    leader, follower = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait()
    os.close(leader)
    assert b"files/s" in seen and b"ETA" in seen and b"\r" in seen
