"""PHP extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("php", "User.php")


def test_php_records(extract):
    assert rows(extract("php", SOURCE, "src/Models/User.php")) == [
        ("namespace", "App.Models", None, 5, 5),
        ("import", "App.Models.Bar", "App.Models", 7, 7),
        ("import", "App.Models.Qux", "App.Models", 8, 8),
        ("import", "App.Models.Thing", "App.Models", 8, 8),
        ("import", "App.Models.helper", "App.Models", 9, 9),
        ("import", "App.Models.LIMIT", "App.Models", 10, 10),
        ("import", "App.Models.Alpha", "App.Models", 11, 11),
        ("import", "App.Models.B", "App.Models", 11, 11),
        ("constant", "App.Models.VERSION", "App.Models", 13, 13),
        ("constant", "App.Models.DEBUG", "App.Models", 14, 14),
        ("interface", "App.Models.Shape", "App.Models", 19, 24),
        ("constant", "App.Models.Shape.SIDES", "App.Models.Shape", 21, 21),
        ("method", "App.Models.Shape.area", "App.Models.Shape", 23, 23),
        ("class", "App.Models.Greets", "App.Models", 27, 33),
        ("method", "App.Models.Greets.hello", "App.Models.Greets", 29, 32),
        ("class", "App.Models.User", "App.Models", 37, 66),  # attributes excluded
        ("constant", "App.Models.User.ROLE", "App.Models.User", 41, 41),
        ("property", "App.Models.User.count", "App.Models.User", 42, 42),
        ("property", "App.Models.User.limit", "App.Models.User", 42, 42),
        ("property", "App.Models.User.name", "App.Models.User", 43, 43),
        ("constructor", "App.Models.User.__construct", "App.Models.User", 50, 55),
        ("method", "App.Models.User.create", "App.Models.User", 58, 61),
        ("method", "App.Models.User.secret", "App.Models.User", 63, 63),
        ("method", "App.Models.User.area", "App.Models.User", 65, 65),
        ("enum", "App.Models.Suit", "App.Models", 68, 79),
        ("enum_member", "App.Models.Suit.Hearts", "App.Models.Suit", 70, 70),
        ("enum_member", "App.Models.Suit.Spades", "App.Models.Suit", 71, 71),
        ("constant", "App.Models.Suit.Wild", "App.Models.Suit", 73, 73),
        ("method", "App.Models.Suit.label", "App.Models.Suit", 75, 78),
        ("function", "App.Models.top_level", "App.Models", 81, 85),
        ("function", "App.Models.top_level.inner", "App.Models.top_level", 83, 83),
    ]


def test_php_details(extract):
    by_name = {s.qualified_name: s for s in extract("php", SOURCE, "src/Models/User.php")}
    ns = by_name["App.Models"]
    assert (ns.name, ns.signature) == ("App\\Models", "namespace App\\Models")
    qux = by_name["App.Models.Qux"]
    assert (qux.name, qux.native_kind, qux.signature) == (
        "Qux", "use", "use Foo\\Baz as Qux, Other\\Thing")
    assert by_name["App.Models.helper"].native_kind == "use function"
    assert by_name["App.Models.LIMIT"].native_kind == "use const"
    assert by_name["App.Models.B"].signature == "use Foo\\{Alpha, Beta as B}"
    assert by_name["App.Models.VERSION"].signature == "const VERSION = '1.0'"
    debug = by_name["App.Models.DEBUG"]
    assert (debug.name, debug.native_kind, debug.signature) == (
        "DEBUG", "define", "define('DEBUG', true)")
    shape = by_name["App.Models.Shape"]
    assert (shape.signature, shape.doc) == ("interface Shape extends Countable", "A shape.")
    area = by_name["App.Models.Shape.area"]
    assert (area.signature, area.modifiers) == ("public function area(): float",
                                                ("abstract", "public"))
    greets = by_name["App.Models.Greets"]
    assert (greets.native_kind, greets.doc) == ("trait", "Reusable bits.")
    user = by_name["App.Models.User"]
    assert user.signature == "final class User extends Model implements Shape, JsonSerializable"
    assert user.decorators == ('#[Entity, Table("users")]', "#[Immutable]")
    assert user.modifiers == ("final",)
    assert SOURCE.encode()[user.start_byte:].startswith(b"final class User")
    count = by_name["App.Models.User.count"]
    assert (count.name, count.signature, count.modifiers) == (
        "count", "private static ?int $count = 0, $limit = 10", ("private", "static"))
    assert by_name["App.Models.User.name"].modifiers == ("protected", "readonly")
    assert by_name["App.Models.User.ROLE"].modifiers == ("public",)
    init = by_name["App.Models.User.__construct"]
    assert init.signature == "public function __construct(string $name, private int $age = 0)"
    assert init.doc == "Make one.\n\n@param string $name the name"
    create = by_name["App.Models.User.create"]
    assert create.decorators == ("#[Override]",)
    assert create.modifiers == ("public", "static")
    assert create.signature == "public static function create(string $name): static"
    assert (create.start_line, create.name_line) == (58, 58)
    secret = by_name["App.Models.User.secret"]
    assert (secret.signature, secret.modifiers) == ("abstract protected function secret(): void",
                                                    ("abstract", "protected"))
    suit = by_name["App.Models.Suit"]
    assert suit.signature == "enum Suit: string implements HasLabel"
    assert by_name["App.Models.Suit.Hearts"].signature == "case Hearts = 'H'"
    top = by_name["App.Models.top_level"]
    assert top.signature == "function top_level(int $a, ...$rest): int"


def test_locals_are_not_definitions(extract):
    names = {s.name for s in extract("php", SOURCE)}
    assert "local" not in names and "fn" not in names


SCRIPT = '''\
#!/usr/bin/env php
<?php
namespace First;

class A {}

namespace Second\\Part;

/** Entry point. */
function main(): void {}

$config = ['debug' => true];

if (!defined('LEVEL')) {
    define('LEVEL', 3);
}
'''


def test_php_file_namespaces_and_globals(extract):
    symbols = extract("php", SCRIPT, "bin/tool")
    assert rows(symbols) == [
        ("namespace", "First", None, 3, 3),
        ("class", "First.A", "First", 5, 5),
        # a second `namespace X;` replaces the first, it does not nest in it
        ("namespace", "Second.Part", None, 7, 7),
        ("function", "Second.Part.main", "Second.Part", 10, 10),
        ("variable", "Second.Part.config", "Second.Part", 12, 12),
        ("constant", "Second.Part.LEVEL", "Second.Part", 15, 15),
    ]
    assert symbols[3].doc == "Entry point."


def test_php_block_namespaces(extract):
    source = "<?php\nnamespace A\\B {\n    class C {}\n    function f() {}\n}\nnamespace {\n    class D {}\n}\n"
    assert rows(extract("php", source)) == [
        ("namespace", "A.B", None, 2, 5),
        ("class", "A.B.C", "A.B", 3, 3),
        ("function", "A.B.f", "A.B", 4, 4),
        ("class", "D", None, 7, 7),
    ]


def test_php_detection():
    assert language_for_path("src/User.php") == "php"
    assert language_for_path("views/page.phtml") == "php"
    assert language_for_path("bin/tool", b"#!/usr/bin/env php\n<?php\n") == "php"
    assert language_for_path("bin/tool", b"#!/usr/bin/php8.2\n<?php\n") == "php"
