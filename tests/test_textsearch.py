"""Natural-language search (`Index.search_text`, `ragex search`): the lexical tier's
documents, query words, ranking, incremental upkeep, filters and bad input."""

import json
import sqlite3

import pytest

from ragex import lexical
from ragex.cli import main
from ragex.config import load_config
from ragex.extract import extract_source
from ragex.front import Index
from ragex.search import QueryError
from ragex.service import RagexService, ServiceError
from ragex.store import IndexStore

SEQUENTIAL = load_config(environ={}, flags={"use_parallel": "false"})

HEADERS = '''\
"""Talking to web servers."""


class HeaderParser:
    """Reads the header block of an HTTP message."""

    maxLineLength = 65536

    def parseHeaders(self, rawText):
        """Split the header lines into a dict of field names and values."""
        fields = {}
        for line in rawText.splitlines():
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        return fields


def retry_with_backoff(call, attempts=5):
    """Call again after a failure, waiting twice as long each time."""
    delay = 0.1
    for _ in range(attempts):
        try:
            return call()
        except OSError:
            sleep(delay)
            delay *= 2
'''

GO = '''package store

// OpenDatabase connects to the SQL database named by the connection string.
func OpenDatabase(dsn string) (*DB, error) {
\treturn connect(dsn)
}
'''


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "web.py").write_text(HEADERS)
    (root / "store.go").write_text(GO)
    index = Index(str(root), config=SEQUENTIAL)
    index.update()
    yield index
    index.close()


def names(answer):
    return [h.symbol.qualified_name for h in answer.items]


# ------------------------------------------------------------------- words


def test_identifiers_split_and_query_words():
    assert lexical.words("parseHTTPHeaders read_file_v2 getX") == [
        "parse", "HTTP", "Headers", "read", "file", "v2", "get", "X"]
    terms = lexical.query_terms("Where do we parse the HTTP headers?")
    assert terms.words == ("parse", "http", "headers")
    assert set(terms.dropped) == {"where", "do", "we", "the"}
    assert terms.match() == '"parse" OR "http" OR "headers" OR "parsehttp" OR "httpheaders"'
    assert terms.match(["headers"]) == '"headers" OR "parsehttp" OR "httpheaders"'
    assert lexical.query_terms('say "quoted" OR NEAR(x)').words == ("say", "quoted", "near")


@pytest.mark.parametrize("query, message", [
    ("", "the query is empty"),
    ("   \n", "the query is empty"),
    ("the of and to", "only common words (the, of, and, to)"),
    ("?!...", "no word to search by"),
])
def test_queries_without_words_are_refused(query, message):
    with pytest.raises(lexical.EmptyQuery, match=message.replace("(", r"\(").replace(")", r"\)")):
        lexical.query_terms(query)


def test_a_huge_query_is_cut_to_its_first_words():
    terms = lexical.query_terms("parse headers " + " ".join(f"w{i}x" for i in range(50_000)))
    assert terms.cut and len(terms.words) == lexical.MAX_QUERY_TERMS
    assert terms.words[:2] == ("parse", "headers")


# --------------------------------------------------------------- documents


def test_documents_split_names_and_keep_nested_bodies_apart():
    source = HEADERS.encode()
    symbols, _ = extract_source(source, "python", "web.py", module="web")
    rows = {symbols[r[0]].qualified_name: r for r in lexical.documents(symbols, source)}
    method = rows["web.HeaderParser.parseHeaders"]
    assert method[4] == "parse Headers" and method[5] == "web.HeaderParser.".replace(
        "HeaderParser", "Header Parser")
    assert "Split the header lines" in method[6] and "raw Text" in method[7]
    assert "partition" in method[8]
    cls = rows["web.HeaderParser"]
    assert "partition" not in cls[8]  # the method's body is the method's document
    assert "maxLineLength = 65536" in cls[8]
    assert (cls[2], method[2], method[3]) == (4, 9, 15)
    assert rows["web.HeaderParser.maxLineLength"][4] == "max Line Length"
    assert not any(symbols[r[0]].kind == "import" for r in lexical.documents(symbols, source))


def test_a_long_body_is_cut_into_chunks_with_their_lines():
    body = "".join(f"    value_{i} = compute_thing_{i}(argument)  # step {i}\n"
                   for i in range(400))
    source = ("def long_function(argument):\n" + body).encode()
    symbols, _ = extract_source(source, "python", "long.py", module="long")
    rows = [r for r in lexical.documents(symbols, source) if symbols[r[0]].kind == "function"]
    assert len(rows) > 5 and [r[1] for r in rows] == list(range(len(rows)))
    assert rows[0][2] == 1 and rows[-1][3] == 401
    for previous, current in zip(rows, rows[1:]):
        assert current[2] == previous[3] + 1  # chunks follow each other, line by line
    assert all(len(r[8]) <= lexical.CHUNK_BYTES for r in rows)
    assert "value_399" in rows[-1][8] and rows[-1][6] == ""  # the doc only in chunk 0


# ---------------------------------------------------------------- searching


def test_natural_language_queries_find_definitions(project):
    answer = project.search_text("where do we parse the HTTP headers?", limit=3)
    assert names(answer)[0] == "web.HeaderParser.parseHeaders"
    assert answer.fields["tiers"] == ["lexical"] and answer.fields["mode"] == "auto"
    hit = answer.items[0]
    assert hit.tiers == {"lexical": 1} and hit.score > 0
    assert hit.excerpt.startswith("9: def parseHeaders(self, rawText):")
    assert names(project.search_text("wait longer after each failure"))[0] == \
        "web.retry_with_backoff"
    assert names(project.search_text("connect to the SQL database", language="go"))[0] == \
        "store.OpenDatabase"


RANKING = '''\
def findtext(path):
    return lookup(path).text


def common_one(values):
    return [v for v in values]


def common_two(values):
    return [v for v in values]


def render(element):
    """Write the element out."""
    return element.text + element.tail


def text_of(node):
    return node.data
'''


def test_ranking_joined_words_common_words_and_name_cover(tmp_path):
    root = tmp_path / "rank"
    root.mkdir()
    (root / "m.py").write_text(RANKING)
    index = Index(str(root), config=SEQUENTIAL)
    index.update()
    try:
        # "find text" also asks for the name written without a break
        assert names(index.search_text("find the text", limit=1)) == ["m.findtext"]
        # the name's words all in the query beat a body full of them
        assert names(index.search_text("text of a node", limit=1)) == ["m.text_of"]
        # `values` is in most documents: left out of the FTS query, which still answers
        conn = index.store().conn
        assert lexical._asked(conn, ["values", "element"]) == (["element"], [])
        assert lexical._asked(conn, ["values"]) == (["values"], [])
        assert names(index.search_text("common values", limit=2)) == [
            "m.common_one", "m.common_two"]
    finally:
        index.close()


def test_the_query_asks_bm25_for_its_rarest_words_within_a_budget(tmp_path, monkeypatch):
    root = tmp_path / "rank"
    root.mkdir()
    (root / "m.py").write_text(RANKING)
    index = Index(str(root), config=SEQUENTIAL)
    index.update()
    monkeypatch.setattr(lexical, "COMMON_SHARE", 1.0)  # only the budget decides here
    try:
        conn = index.store().conn
        words = ["text", "node", "element"]  # in 3, 1 and 1 documents
        monkeypatch.setattr(lexical, "POSTINGS_BUDGET", 100)
        assert lexical._asked(conn, words) == (words, [])
        # `text` would pass the budget: asked where it is in a name or signature (1)
        monkeypatch.setattr(lexical, "POSTINGS_BUDGET", 3)
        assert lexical._asked(conn, words) == (["node", "element"], ["text"])
        monkeypatch.setattr(lexical, "POSTINGS_BUDGET", 2)
        assert lexical._asked(conn, words) == (["node", "element"], [])
        monkeypatch.setattr(lexical, "POSTINGS_BUDGET", 0)  # the rarest one at least
        assert lexical._asked(conn, words) == (["node"], [])
        # one word, asked in names and signatures only (1 there, 3 in all)
        assert lexical._asked(conn, ["text"]) == ([], ["text"])
        assert lexical.query_terms("text").match([], ["text"]) == \
            '{name scope sig} : ("text")'
        assert names(index.search_text("text", limit=1)) == ["m.text_of"]
        # the words left out still rank: the name holding all of them comes first
        assert names(index.search_text("text of a node", limit=1)) == ["m.text_of"]
    finally:
        index.close()


def test_a_word_past_the_budget_is_counted_in_slices_of_ids(tmp_path, monkeypatch):
    # 200 functions f0..f199 (document ids 2..201, the module's is 1), with words in
    # runs of them, as a directory's words are in runs of a real index's ids
    def words_of(i):
        return [w for w, inside in (("alpha", i < 150), ("delta", 85 <= i < 115),
                                    ("eps", 6 <= i < 14), ("gamma", i in (3, 190)))
                if inside]
    root = tmp_path / "slices"
    root.mkdir()
    (root / "m.py").write_text("".join(
        f"def f{i}():\n    return [{', '.join(words_of(i)) or 'None'}]\n\n\n"
        for i in range(200)))
    index = Index(str(root), config=SEQUENTIAL)
    index.update()
    try:
        conn = index.store().conn
        monkeypatch.setattr(lexical, "POSTINGS_BUDGET", 5)
        monkeypatch.setattr(lexical, "SAMPLE_IDS", 32)  # 16 runs of 2 ids
        counts = lexical._Counts(conn)
        assert counts.span == 201 and len(counts.slices) == 16
        assert all(hi - lo == 1 for lo, hi in counts.slices)
        ids = dict(conn.execute("SELECT s.name, d.id FROM lex_docs d "
                                "JOIN symbols s ON s.id = d.symbol_id"))
        sampled = {i for lo, hi in counts.slices for i in range(lo, hi + 1)}
        assert not sampled & {ids[f"f{i}"] for i in range(6, 14)}  # `eps`: between runs
        assert counts.count('"gamma"') == 2  # within the budget: exact
        # past it: never under the budget, though no run holds `eps` (8 documents)
        assert counts.count('"eps"') == 6
        assert lexical._asked(conn, ["eps", "gamma"]) == (["gamma"], ["eps"])
        # `delta`, 30 documents in one run of ids, is not taken for a common word (over a
        # quarter: 50); `alpha`, in 150, is
        assert counts.count('"delta"') < 50 < counts.count('"alpha"')
        assert lexical._asked(conn, ["alpha", "delta", "gamma"]) == (["gamma"], ["delta"])
        assert names(index.search_text("gamma alpha", limit=1))[0] in ("m.f3", "m.f190")
        # runs as big as the index: counts are exact
        monkeypatch.setattr(lexical, "SAMPLE_IDS", 1000)
        assert lexical._Counts(conn).count('"alpha"') == 150
    finally:
        index.close()


def test_the_words_index_keeps_positions(project):
    # bm25() reads a row's instances; with column or no detail FTS5 tokenizes the row's
    # text again to find them (10x dearer per ranked row): the table has full detail
    sql = project.store().conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'lex_fts'").fetchone()[0]
    assert "detail=full" in sql.replace(" ", "")


def test_filters_and_limits(project):
    assert names(project.search_text("header", kind="class")) == ["web.HeaderParser"]
    assert names(project.search_text("database", path_glob="*.py")) == []
    assert len(project.search_text("header", limit=1).items) == 1
    with pytest.raises(QueryError, match="unknown kind"):
        project.search_text("header", kind="gadget")
    with pytest.raises(QueryError, match="unknown mode"):
        project.search_text("header", mode="psychic")
    with pytest.raises(QueryError, match="limit must be"):
        project.search_text("header", limit=0)


def test_bad_queries_get_clear_answers(project):
    for query in ("", "   ", "the of and"):
        with pytest.raises(QueryError):
            project.search_text(query)
    long = project.search_text("parse headers " * 20_000)
    assert names(long)[0] == "web.HeaderParser.parseHeaders"
    assert any("long" in note for note in long.notes)
    other = project.search_text("解析 ヘッダー")  # another script: no match, no error
    assert other.items == [] and "no definition matches" in other.notes[-1]


def _consistent(index):
    """lex_docs rows point at live symbols whose names the FTS rows hold."""
    conn = sqlite3.connect(f"{index.index_dir}/index.db")
    try:
        orphans = conn.execute("SELECT count(*) FROM lex_docs d LEFT JOIN symbols s "
                               "ON s.id = d.symbol_id WHERE s.id IS NULL").fetchone()[0]
        # the FTS index holds exactly the words of lex_docs (raises if not)
        conn.execute("INSERT INTO lex_fts(lex_fts, rank) VALUES ('integrity-check', 1)")
        fts = conn.execute("SELECT count(*) FROM lex_fts_docsize").fetchone()[0]
        docs = conn.execute("SELECT count(*) FROM lex_docs").fetchone()[0]
        pairs = conn.execute("SELECT s.name, f.name FROM lex_docs d JOIN symbols s "
                             "ON s.id = d.symbol_id JOIN lex_fts f ON f.rowid = d.id").fetchall()
    finally:
        conn.close()
    assert orphans == 0 and fts == docs
    assert all(" ".join(lexical.words(a)) == " ".join(lexical.words(b)) for a, b in pairs)
    return docs


def test_documents_follow_changes_and_deletions(project):
    root = project.root
    before = _consistent(project)
    with open(f"{root}/web.py", "a") as fh:
        fh.write('\n\ndef compress_archive(path):\n    """Pack files into a zip archive."""\n')
    project.update()
    assert names(project.search_text("pack files into a zip archive"))[0] == \
        "web.compress_archive"
    assert _consistent(project) == before + 1
    with open(f"{root}/web.py", "w") as fh:
        fh.write("def unrelated():\n    return 0\n")
    project.update()
    assert names(project.search_text("parse headers")) == []
    import os
    os.remove(f"{root}/store.go")
    project.update()
    assert names(project.search_text("database connection")) == []
    _consistent(project)


def test_a_bulk_build_indexes_the_words_at_its_end(project):
    """A build that rewrites most of the index (or finishes a killed one) writes lex_docs
    only and indexes them in one pass at its end; until then the answer says so."""
    writer = IndexStore(project.index_dir)
    writer.begin_bulk()  # then killed: search_ready false, the words not indexed
    writer.close()
    cut = project.search_text("parse headers")
    assert cut.items == [] and any("being built" in note for note in cut.notes)
    with open(f"{project.root}/web.py", "a") as fh:
        fh.write('\n\ndef compress_archive(path):\n    """Pack files into a zip archive."""\n')
    project.update()  # not search_ready: a bulk build, which ends with the rebuild
    assert project.store().search_ready()
    assert names(project.search_text("pack files into a zip archive"))[0] == \
        "web.compress_archive"
    assert names(project.search_text("parse headers"))[0] == "web.HeaderParser.parseHeaders"
    _consistent(project)


def test_cli_search_text_and_json(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    assert main(["search", "parse the HTTP headers", "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("web.py:9-15\tmethod\tweb.HeaderParser.parseHeaders\t")
    assert out[0].endswith("[lexical]") and out[1] == "    9: def parseHeaders(self, rawText):"
    assert main(["search", "parse the HTTP headers", "--json", "--kind", "method"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tiers"] == ["lexical"] and data["results"][0]["path"] == "web.py"
    assert data["results"][0]["tiers"] == {"lexical": 1}
    assert main(["search", "zebra giraffe"]) == 1  # nothing found
    assert main(["search", "the of"]) == 2
    assert "only common words" in capsys.readouterr().err


def test_no_index_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["search", "parse headers"]) == 2
    assert "run `ragex index" in capsys.readouterr().err


def test_service_answers_with_tiers(project):
    service = RagexService(project.root, config=SEQUENTIAL)
    reply = service.search_text("retry after a failure", limit=2)
    assert reply["tiers"] == ["lexical"] and reply["index_state"] == "complete"
    assert reply["results"][0]["qualified_name"] == "web.retry_with_backoff"
    with pytest.raises(ServiceError, match="the query is empty"):
        service.search_text("  ")


def test_no_index_is_a_clear_error_for_callers_and_the_server(tmp_path):
    from ragex.store import IndexUnavailable

    with pytest.raises(IndexUnavailable, match="no index at .*run `ragex index` first"):
        Index(str(tmp_path), config=SEQUENTIAL).search_text("parse headers")
    service = RagexService(str(tmp_path), config=SEQUENTIAL)
    with pytest.raises(ServiceError, match="run `ragex index` first"):
        service.search_text("parse headers")


@pytest.mark.parametrize("batch", [1, None])
def test_a_bulk_build_indexes_its_words_as_it_commits(project, monkeypatch, batch):
    """In a bulk build a commit indexes the words waiting once there are enough of them
    (`batch` 1: every commit; None: the default, more than this test writes), so a build
    killed after a commit leaves lex_fts holding exactly the rows it indexed; a file
    written twice in one build and the rows from before it are indexed once, by the end."""
    from ragex import store

    if batch is not None:
        monkeypatch.setattr(store, "_LEX_BATCH_ROWS", batch)
    source = HEADERS.replace("HeaderParser", "MessageReader").encode()
    symbols, _ = extract_source(source, "python", "reader.py", module="reader")
    documents = lexical.documents(symbols, source)
    writer = IndexStore(project.index_dir)
    try:
        writer.begin_bulk()
        for _ in range(2):  # the second time replaces rows the first commit indexed
            writer.begin()
            writer.put_file("reader.py", len(source), 1, None, "python", "ok", None, None,
                            symbols, documents=documents)
            writer.commit()
            assert _indexed_mid_build(project) == (len(documents) if batch else 0)
        hits = lexical.search(writer.conn, lexical.query_terms("message reader"))
        assert bool(hits) == bool(batch) and not writer.search_ready()
        writer.end_bulk()
    finally:
        writer.close()
    _consistent(project)  # the rows from before the build were indexed at its end
    assert names(project.search_text("message reader"))[0] == "reader.MessageReader"
    assert names(project.search_text("parse headers"))[0] == "web.HeaderParser.parseHeaders"


def _indexed_mid_build(project):
    """Mid-build: how many rows lex_fts holds (none from before the build: it was
    emptied), after checking that the index itself is sound."""
    conn = sqlite3.connect(f"{project.index_dir}/index.db")
    try:
        # rank 0: not compared with lex_docs, which holds rows not indexed yet
        conn.execute("INSERT INTO lex_fts(lex_fts, rank) VALUES ('integrity-check', 0)")
        return conn.execute("SELECT count(*) FROM lex_fts_docsize").fetchone()[0]
    finally:
        conn.close()
