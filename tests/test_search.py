"""Symbol search on a real index: match tiers, typo tolerance, filters, bad arguments."""

import pytest

from ragex.config import load_config
from ragex.indexer import CodeIndexer
from ragex.search import QueryError, _edit_distance, search_symbols
from ragex.store import IndexStore

NAMES = ["parse", "tokenize", "serialize_payload", "HTTPConnectionPool", "read_config_file",
         "Parser", "parser_factory", "unparse", "compute_checksum", "rebalance_partitions"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    for i, name in enumerate(NAMES):
        (root / f"m{i}.py").write_text(f"def {name}():\n    pass\n")
    config = load_config(environ={}, flags={"use_parallel": False})
    CodeIndexer(str(root), config=config).index_codebase()
    st = IndexStore(str(root / ".ragex"), readonly=True)
    yield st
    st.close()


def names(hits):
    return [(h.symbol.name, h.match) for h in hits if h.symbol.kind != "module"]


def test_tiers_in_order(store):
    got = names(search_symbols(store, "parse"))
    assert got[0] == ("parse", "exact")
    assert ("Parser", "prefix") in got and ("parser_factory", "prefix") in got
    assert ("unparse", "substring") in got
    tiers = [m for _, m in got]
    assert tiers == sorted(tiers, key=["exact", "prefix", "substring", "fuzzy"].index)


@pytest.mark.parametrize("query, expected", [
    ("tokenzie", "tokenize"),  # transposition, 8 characters
    ("serialise_payload", "serialize_payload"),  # substitution
    ("compute_chcksm", "compute_checksum"),  # two deletions, long name
    ("HTTPConectionPol", "HTTPConnectionPool"),
    ("reblance_partitions", "rebalance_partitions"),
])
def test_typos_are_found(store, query, expected):
    hits = search_symbols(store, query)
    assert hits and hits[0].symbol.name == expected and hits[0].match == "fuzzy"


def test_too_far_is_not_found(store):
    assert search_symbols(store, "zzzzzzzz") == []
    assert search_symbols(store, "tknzzz", match="fuzzy") == []


def test_edit_distance():
    assert _edit_distance("abcd", "abdc", 2) == 1  # transposition counts once
    assert _edit_distance("kitten", "sitting", 3) == 3
    assert _edit_distance("a", "abcdef", 2) == 3  # gives up past the budget


def test_bad_arguments(store):
    for kwargs, words in [({"match": "regex"}, "unknown match mode"),
                          ({"kind": "thing"}, "unknown kind"),
                          ({"language": "cobol"}, "unknown language"),
                          ({"limit": 0}, "limit")]:
        with pytest.raises(QueryError, match=words):
            search_symbols(store, "parse", **kwargs)
    with pytest.raises(QueryError, match="empty"):
        search_symbols(store, "  ")


def test_dotted_queries_match_qualified_names(store):
    exact = search_symbols(store, "m1.tokenize")
    assert [(h.symbol.qualified_name, h.match) for h in exact][:1] == [("m1.tokenize", "exact")]
    partial = search_symbols(store, "m2.serialize_pay", match="substring")
    assert [h.symbol.qualified_name for h in partial] == ["m2.serialize_payload"]
    prefix = search_symbols(store, "m4.", match="prefix")
    assert "m4.read_config_file" in [h.symbol.qualified_name for h in prefix]
