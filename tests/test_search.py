"""Symbol search on a real index: match tiers, typo tolerance, filters, bad arguments."""

import pytest

from ragex.config import load_config
from ragex.front import Answer, Limits, scan_cut_note
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


def _full_osa(a: str, b: str) -> int:
    """Optimal string alignment distance over the whole table (the textbook recurrence)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def test_edit_distance_in_its_band_agrees_with_the_whole_table():
    # only cells within the budget of the diagonal are computed: every pair within the
    # budget gets its exact distance, every other one budget + 1
    import random

    rng = random.Random(3)
    for _ in range(3000):
        a = "".join(rng.choice("ab_c") for _ in range(rng.randint(0, 9)))
        b = "".join(rng.choice("ab_c") for _ in range(rng.randint(0, 9)))
        for budget in (1, 2):
            assert _edit_distance(a, b, budget) == min(_full_osa(a, b), budget + 1), (a, b)


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


@pytest.mark.slow
def test_a_budget_bounds_scans_while_a_build_has_dropped_the_indexes(tmp_path, monkeypatch):
    """Mid-build (the search indexes dropped) every tier scans the table. Inside a time
    budget a search stops its scan when the time is up, keeps the rows it reached and
    says so; without one the same search reaches the last row. A real SQLite file, a
    real table."""
    import ragex.service
    from ragex.extract import extract_source

    symbols, _ = extract_source(b"def f():\n    pass\n", "python", "t.py")
    template = next(s for s in symbols if s.name == "f")
    writer = IndexStore(str(tmp_path / "index"))
    writer.begin_bulk()
    writer.begin()
    for f in range(200):  # 200 files x 1,000 symbols: a scan of 200,000 rows
        symbols = [template._replace(name=f"name_{f}_{i}", qualified_name=f"m{f}.name_{f}_{i}")
                   for i in range(1000)]
        writer.put_file(f"m{f}.py", 1, 1, None, "python", "ok", None, None, symbols)
    writer.commit()
    reader = IndexStore(str(tmp_path / "index"), readonly=True)
    assert not reader.search_ready()

    first, last = "name_0_0", "name_199_999"  # the first and the last row written
    with reader.time_budget(1e-6) as budget:  # the first slice of rows always runs
        hits = search_symbols(reader, first)
    assert budget.cut and hits[0].symbol.name == first and hits[0].match == "exact"
    with reader.time_budget(1e-6) as budget:
        hits = search_symbols(reader, last)
    assert budget.cut and last not in {h.symbol.name for h in hits}
    assert not reader.scan_cut()  # the budget ended with its block
    hits = search_symbols(reader, last)
    assert hits[0].symbol.name == last and hits[0].match == "exact"
    with reader.time_budget(60.0) as budget:  # a budget not used up changes nothing
        hits = search_symbols(reader, last)
    assert not budget.cut and hits[0].symbol.name == last
    with reader.time_budget(1e-6) as budget:  # substring: a LIKE scan, cut the same way
        hits = search_symbols(reader, "me_0_1", match="substring", limit=500)
    assert budget.cut and 0 < len(hits) < 500 and all("me_0_1" in h.symbol.name for h in hits)

    # the MCP service bounds its lookups by name and tells the agent the answer may be
    # incomplete
    service = ragex.service.RagexService(str(tmp_path), str(tmp_path / "index"),
                                         load_config(environ={}, flags={}),
                                         limits=Limits(build_scan_seconds=1e-6))
    answer = service.search_symbols(last)
    assert "scan stopped" in answer["note"] and last not in {r["name"] for r in answer["results"]}
    with pytest.raises(ragex.service.ServiceError, match="scan stopped"):
        service.get_symbol(last, include_code=False)
    answer = service.search_symbols("name_0_1", limit=1)  # more hits than the limit, too
    assert answer["results"][0]["name"] == "name_0_1"
    answer = ragex.service.bounded(  # a cut note survives truncation
        Answer(["x" * 100, "y" * 100], notes=[scan_cut_note(1e-6)]).to_dict(), "results",
        max_bytes=200)
    assert "scan stopped" in answer["note"] and "truncated" in answer["note"]

    writer.end_bulk()  # indexes back: no budget, the answers are complete
    answer = service.search_symbols(last)
    assert "note" not in answer and answer["results"][0]["name"] == last
    answer = service.get_symbol(last, include_code=False)
    assert "note" not in answer and answer["results"][0]["name"] == last
    reader.close()
    writer.close()
