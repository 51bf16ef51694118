"""CSS and SCSS (scss.scm stacked on css.scm): selectors, custom properties, @keyframes,
SCSS variables, mixins, functions and placeholders."""

from conftest import fixture_source, rows

from ragex.extract import ExtractionTask, extract_file


def test_every_selector_of_a_rule_is_a_symbol(extract):
    symbols = extract("css", fixture_source("css", "site.css"))
    on_line_5 = [(s.name, s.native_kind) for s in symbols if s.start_line == 5]
    assert on_line_5 == [(".btn", "class"), (".btn-primary:hover > a", "selector")]
    assert ("#header", "id") in [(s.name, s.native_kind) for s in symbols]


def test_custom_properties_are_fields_of_their_rule_and_keyframes_are_found(extract):
    symbols = extract("css", fixture_source("css", "site.css"))
    assert ("field", ":root.--brand-color", ":root", 3, 3) in rows(symbols)
    assert ("class", "fade-in", None, 11, 11) in rows(symbols)
    assert "color" not in [s.name for s in symbols]  # an ordinary declaration is no definition


def test_rules_inside_media_blocks_are_top_level(extract):
    symbols = extract("css", "@media print {\n  .page { margin: 0; }\n}\n")
    assert rows(symbols) == [("class", ".page", None, 2, 2)]


def test_a_selector_over_several_lines_is_named_on_one(extract):
    symbols = extract("css", ".a,\n.b >\n  .c { x: y; }\n")
    assert [s.name for s in symbols] == [".a", ".b > .c"]


def test_scss_adds_variables_mixins_functions_and_placeholders(extract):
    symbols = extract("scss", fixture_source("scss", "_theme.scss"))
    found = [(s.kind, s.native_kind, s.qualified_name) for s in symbols]
    assert ("variable", "variable", "$primary") in found
    assert ("function", "mixin", "button-variant") in found
    assert ("function", "function", "rem") in found
    assert ("class", "placeholder", "%placeholder-base") in found
    assert ("field", "variable", ".btn.$local") in found  # declared inside a rule
    assert ("class", "selector", ".btn.&:hover") in found  # nested rules nest


def test_what_the_scss_grammar_cannot_read_is_masked_and_read_as_written(tmp_path):
    """tree-sitter-scss 1.0 fails on `!default`, on `#{...}` in names and on `@extend %x`:
    they are masked for the parser (positions unchanged) and read from the file as written."""
    path = tmp_path / "_vars.scss"
    path.write_text("$primary: #369 !default;\n.btn-#{$color} { --#{$prefix}bg: red; }\n"
                    ".b { @extend %base; }\n$gap: 4px !global;\n")
    result = extract_file(ExtractionTask(str(path), "_vars.scss"))
    assert (result.status, result.warning) == ("ok", None)
    assert rows(result.symbols, "kind", "name", "start_line", "start_col", "signature") == [
        ("variable", "$primary", 1, 0, "$primary: #369 !default"),
        ("class", ".btn-#{$color}", 2, 0, ".btn-#{$color}"),
        ("field", "--#{$prefix}bg", 2, 17, "--#{$prefix}bg: red"),
        ("class", ".b", 3, 0, ".b"),
        ("variable", "$gap", 4, 0, "$gap: 4px !global")]
