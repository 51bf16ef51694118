"""The vector tier of natural-language search (`ragex.semantic`): the model package's
real loading code, device choice, incremental embedding, hybrid answers, and the clear
errors when the extra is missing or nothing is embedded yet.

The test extra installs the real model (23 MB): these tests run it."""

import os
import sys

import pytest

from ragex import semantic
from ragex.cli import main
from ragex.config import (ConfigError, background_embedding_limit, embed_device_setting,
                          load_config)
from ragex.front import Index
from ragex.search import QueryError
from ragex.service import RagexService

SEQUENTIAL = load_config(environ={}, flags={"use_parallel": "false"})

CODE = '''\
def parse_headers(raw):
    """Split the header block of an HTTP message into fields."""
    return dict(line.split(":", 1) for line in raw.splitlines())


def circle_area(radius):
    """Compute the surface of a disc."""
    return 3.14159 * radius * radius


class Mailer:
    """Sends electronic mail through an SMTP relay."""

    def deliver(self, message):
        self.relay.sendmail(message)
'''


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "lib.py").write_text(CODE)
    index = Index(str(root), config=SEQUENTIAL)
    index.update()
    yield index
    index.close()


def without_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if absent
    monkeypatch.setattr(semantic, "_AVAILABLE", [])  # found earlier in this process


# ------------------------------------------------------------------- device


def test_device_choice():
    cuda = ["CUDAExecutionProvider", "CPUExecutionProvider"]
    assert semantic.choose_providers(cuda, "auto")[0] == "CUDAExecutionProvider"
    assert semantic.choose_providers(["CPUExecutionProvider"], "auto") == [
        "CPUExecutionProvider"]
    assert semantic.choose_providers(cuda, "cpu") == ["CPUExecutionProvider"]
    with pytest.raises(semantic.SemanticUnavailable, match="onnxruntime-gpu"):
        semantic.choose_providers(["CPUExecutionProvider"], "cuda")
    assert embed_device_setting({"RAGEX_EMBED_DEVICE": " CUDA "}) == "cuda"
    with pytest.raises(ConfigError, match="RAGEX_EMBED_DEVICE='tpu'"):
        embed_device_setting({"RAGEX_EMBED_DEVICE": "tpu"})


def test_config_reports_the_device(capsys):
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "semantic.semantic = available" in out and "semantic.device = cpu" in out


# -------------------------------------------------------- without the extra


def test_without_the_extra_the_message_names_it(project, monkeypatch, capsys):
    without_extra(monkeypatch)
    assert "pip install 'ragex[semantic]'" in semantic.missing_extra()
    for mode in ("semantic", "hybrid"):
        with pytest.raises(QueryError, match=r"pip install 'ragex\[semantic\]'"):
            project.search_text("split the header block", mode=mode)
    auto = project.search_text("split the header block")
    assert auto.fields["tiers"] == ["lexical"] and auto.items
    with pytest.raises(semantic.SemanticUnavailable, match="ragex.semantic"):
        project.embed()
    monkeypatch.chdir(project.root)
    assert main(["search", "header block", "--mode", "semantic"]) == 2
    assert "pip install 'ragex[semantic]'" in capsys.readouterr().err
    assert main(["embed"]) == 2
    assert "pip install 'ragex[semantic]'" in capsys.readouterr().err


def test_a_model_file_that_is_not_the_pinned_one_is_refused(monkeypatch):
    wrong = semantic.ModelFile(semantic.TOKENIZER.distribution, semantic.TOKENIZER.path,
                               "0" * 64, 1)
    monkeypatch.setattr(semantic, "TOKENIZER", wrong)
    with pytest.raises(semantic.SemanticUnavailable, match="not the file ragex was built"):
        semantic.Embedder()


# ------------------------------------------------------------- the real model


@pytest.mark.slow
def test_the_model_embeds_by_meaning():
    model = semantic.Embedder(device="cpu")
    vectors = model.embed(["parse the HTTP headers", "read header fields of a web request",
                           "area of a circle", ""])
    assert vectors.shape == (4, semantic.DIMENSION)
    assert abs(float((vectors[0] ** 2).sum()) - 1) < 1e-3
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    again = model.embed(["area of a circle"] * 40)  # more than a batch, padded alike
    assert abs(float(again[39] @ vectors[2]) - 1) < 1e-3


@pytest.mark.slow
def test_the_query_model_is_one_quiet_thread_and_agrees_with_the_batch_model():
    import numpy as np

    batch, query = semantic.Embedder(device="cpu"), semantic.Embedder.for_queries()
    texts = ["parse the HTTP headers", "area of a circle", "send mail through a relay"]
    one_by_one = np.vstack([query.embed([t]) for t in texts])
    assert np.abs(batch.embed(texts) - one_by_one).max() < 1e-3
    options = query.session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert query.provider == "CPUExecutionProvider" and query.device == "cpu"


def test_the_count_to_embed_follows_the_index(project):
    vectors = semantic.VectorSearch(project.index_dir)
    conn = project.store().conn
    assert vectors.status(conn) == {"embedded": 0, "total": 4}
    with open(f"{project.root}/more.py", "w") as fh:
        fh.write("def one():\n    pass\n\n\ndef two():\n    pass\n")
    os.makedirs(f"{project.root}/tests")
    with open(f"{project.root}/tests/test_more.py", "w") as fh:  # left to the lexical tier
        fh.write("def test_one():\n    assert True\n")
    project.update()  # written by another connection: counted again
    assert vectors.status(project.store().conn) == {"embedded": 0, "total": 6}
    assert semantic.embed_plan(project.store().conn) == {
        "embedded": 6, "of_their_kinds": 7, "left_to_lexical": 1}


@pytest.mark.slow
def test_embedding_is_incremental_and_search_fuses_tiers(project):
    with pytest.raises(QueryError, match="no definition is embedded yet"):
        project.search_text("send an email", mode="semantic")
    before = project.search_text("send an email")
    assert before.fields["tiers"] == ["lexical"] and "ragex embed" in before.notes[0]

    report = project.embed()
    assert report.state == "done" and report.done == report.total == 4  # 3 + the class
    assert report.embedded_now == 4 and report.device == "cpu"
    # no word in common with the doc: only the model knows
    sem = project.search_text("how big is a round shape", mode="semantic", limit=2)
    assert sem.items[0].symbol.name == "circle_area" and sem.fields["tiers"] == ["semantic"]
    both = project.search_text("parse the HTTP headers", limit=2)
    assert both.fields["tiers"] == ["lexical", "semantic"]
    assert both.items[0].symbol.name == "parse_headers"
    assert both.items[0].tiers == {"lexical": 1, "semantic": 1}
    assert project.search_text("send email", mode="semantic", kind="class").items[0] \
        .symbol.name == "Mailer"
    assert project.search_text("解析 ヘッダー", mode="semantic").items  # any script

    path = f"{project.root}/lib.py"
    with open(path) as fh:
        text = fh.read()
    with open(path, "w") as fh:
        fh.write(text.replace("Compute the surface of a disc.", "Area of a circle."))
    project.update()
    again = project.embed()
    assert again.embedded_now == 1 and again.done == 4  # only the changed definition
    with open(path, "w") as fh:
        fh.write("def only_one():\n    return 1\n")
    project.update()
    assert project.embed().done == 1
    assert [h.symbol.name for h in
            project.search_text("anything at all", mode="semantic").items] == ["only_one"]


@pytest.mark.slow
def test_the_service_embeds_in_the_background(project):
    service = RagexService(project.root, config=SEQUENTIAL)
    job = service.start_index()
    assert job.done.wait(60)
    service._embedding.join(120)
    status = service.index_status()
    assert status["embedding"]["state"] == "done"
    assert status["embedding"]["embedded"] == status["embedding"]["total"] == 4
    reply = service.search_text("electronic mail", mode="hybrid")
    assert reply["tiers"] == ["lexical", "semantic"]
    assert reply["results"][0]["qualified_name"] == "lib.Mailer"


def test_too_many_to_embed_in_the_background_leaves_them_to_ragex_embed(project,
                                                                        monkeypatch):
    def no_model():
        raise AssertionError("the model must not load for a run that embeds nothing")

    def no_hashing(conn):  # (a kernel's 5.6 M texts: minutes of CPU for a "no")
        raise AssertionError("too many is told from the counts, before any text is read")

    store = project.store()
    with monkeypatch.context() as patch:
        patch.setattr(semantic, "_wanted_hashes", no_hashing)
        report = semantic.embed_index(store.conn, project.index_dir, None, max_todo=3,
                                      make_embedder=no_model)
    assert (report.state, report.todo, report.done, report.total) == ("too many", 4, 0, 4)
    assert project.embed().state == "done"  # `ragex embed` has no such bound


def test_the_background_pass_waits_while_the_index_has_changes_to_take_in(project):
    asked = []

    def pause():  # busy for the first three looks, then free
        asked.append(True)
        return len(asked) <= 3

    store = project.store()
    report = semantic.embed_index(store.conn, project.index_dir, None, pause=pause,
                                  batch=2)
    assert report.state == "done" and report.embedded_now == 4
    assert len(asked) == 3 + 2  # waited three looks, then one look per batch of two


@pytest.mark.slow
def test_the_service_says_why_a_big_index_is_not_embedded(project, monkeypatch):
    monkeypatch.setenv("RAGEX_EMBED_BACKGROUND_MAX", "2")
    service = RagexService(project.root, config=SEQUENTIAL)
    job = service.start_index()
    assert job.done.wait(60)
    service._embedding.join(120)
    embedding = service.index_status()["embedding"]
    assert embedding["state"] == "too many"
    assert "ragex embed" in embedding["note"] and "RAGEX_EMBED_BACKGROUND_MAX=2" in embedding["note"]
    monkeypatch.setenv("RAGEX_EMBED_BACKGROUND_MAX", "many")
    with pytest.raises(ConfigError, match="RAGEX_EMBED_BACKGROUND_MAX='many' is invalid"):
        background_embedding_limit()
