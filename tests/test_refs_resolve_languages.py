"""Resolution in every language family, on small real projects indexed for real: each
import style (JS/TS modules, Go packages, Java/C#/PHP/Kotlin/Elixir qualified names, Rust
paths, C/C++ includes, Lua/Zig files), self and receiver names, bases, packages and
namespaces, and the <script> code of a Vue file."""

import textwrap

import pytest

from ragex.config import load_config
from ragex.front import Index
from ragex.references import Ref, Resolver

PROJECT = {
    # JavaScript / TypeScript: relative modules, default, namespace, named, re-exports
    "web/util.js": """\
        export function slug(s) { return s.toLowerCase(); }
        export default class Store { save() { return slug('x'); } }
        """,
    "web/index.js": """\
        export { slug as makeSlug } from './util';
        """,
    "web/app.ts": """\
        import Store, { slug } from './util';
        import * as u from './util.js';
        import { makeSlug } from './index';
        class Cached extends Store {
          save(): string { return super.save() + this.key(); }
          key(): string { return slug('k') + u.slug('v') + makeSlug('w'); }
        }
        const s: Store = new Store();
        """,
    # Go: a package in two files, an import of it, receivers, embedding
    "go/shapes/shape.go": """\
        package shapes

        type Base struct{}

        func (b *Base) Name() string { return "base" }

        type Circle struct {
        \tBase
        \tR float64
        }
        """,
    "go/shapes/area.go": """\
        package shapes

        func (c *Circle) Area() float64 { return c.R * c.R * pi() }

        func (c *Circle) Label() string { return c.Name() }

        func pi() float64 { return 3.14 }
        """,
    "go/main/main.go": """\
        package main

        import "example.com/go/shapes"

        func main() {
        \tc := shapes.Circle{R: 1}
        \tprintln(c.Area())
        }
        """,
    # Java: imports, the same package, members through a base class
    "java/com/acme/Base.java": """\
        package com.acme;

        public class Base {
            protected int size() { return 1; }
        }
        """,
    "java/com/acme/Box.java": """\
        package com.acme;

        import com.acme.util.Strings;
        import com.acme.util.*;

        public class Box extends Base {
            int twice() { return size() * 2; }
            String label() { return Strings.pad(Helper.name()); }
        }
        """,
    "java/com/acme/util/Strings.java": """\
        package com.acme.util;

        public class Strings {
            public static String pad(String s) { return s; }
        }
        """,
    "java/com/acme/util/Helper.java": """\
        package com.acme.util;

        public class Helper {
            public static String name() { return "h"; }
        }
        """,
    # C: includes, a prototype and its definition, a static function of another file
    "c/include/list.h": """\
        int list_len(int *xs);
        """,
    "c/list.c": """\
        #include "list.h"

        int list_len(int *xs) { return xs[0]; }
        """,
    "c/main.c": """\
        #include "list.h"

        static int helper(void) { return 1; }

        int main(void) { return list_len(0) + helper(); }
        """,
    "c/other.c": """\
        static int helper(void) { return 2; }
        """,
    # C#: a namespace imported with using, the same namespace in another file
    "cs/Models.cs": """\
        namespace Acme.Models {
            public class User { public string Name() { return "u"; } }
        }
        """,
    "cs/Service.cs": """\
        using Acme.Models;

        namespace Acme.Services {
            public class Service {
                public string Run(User u) { return u.Name() + Helper.Tag(); }
            }
        }
        """,
    "cs/Helper.cs": """\
        namespace Acme.Services {
            public static class Helper { public static string Tag() { return "t"; } }
        }
        """,
    # Rust: use paths, a trait implemented, self
    "rs/src/geometry.rs": """\
        pub struct Point { pub x: i32 }

        pub trait Norm { fn norm(&self) -> i32; }

        impl Norm for Point {
            fn norm(&self) -> i32 { self.x.abs() + self.twice() }
        }

        impl Point {
            fn twice(&self) -> i32 { self.x * 2 }
        }
        """,
    "rs/src/main.rs": """\
        use crate::geometry::{Point, Norm};

        fn main() {
            let p = Point { x: 1 };
            println!("{}", p.norm());
        }
        """,
    # PHP: namespaces and use
    "php/src/Models/User.php": """\
        <?php
        namespace App\\Models;

        class User { public function name() { return 'u'; } }
        """,
    "php/src/Http/Controller.php": """\
        <?php
        namespace App\\Http;

        use App\\Models\\User;

        class Controller {
            public function show(): User { $u = new User(); $this->log(); return $u; }
            private function log() {}
        }
        """,
    # Ruby: constants are global; self and bare calls of the class's methods
    "rb/lib/greeter.rb": """\
        module Acme
          class Greeter
            def greet(name)
              format_name(name)
            end

            def format_name(name)
              name.capitalize
            end
          end
        end
        """,
    "rb/app.rb": """\
        require_relative "lib/greeter"

        Acme::Greeter.new.greet("x")
        """,
    # Lua: `require "a.b"` names a/b.lua below a search root; the module is its table
    "lua/lib/shapes/util.lua": """\
        local M = {}
        function M.round(x) return x end
        return M
        """,
    "lua/app/main.lua": """\
        local util = require("shapes.util")
        print(util.round(1))
        """,
    # Zig: `@import("x.zig")` beside the importer
    "zig/geo.zig": """\
        pub fn area(x: f64) f64 { return x; }
        """,
    "zig/main.zig": """\
        const geo = @import("geo.zig");
        pub fn main() void { _ = geo.area(1); }
        """,
    # Vue: the <script> code's references, resolved as JavaScript's
    "vue/util.js": """\
        export function fmt(x) { return x; }
        """,
    "vue/Card.vue": """\
        <template><p>card</p></template>
        <script>
        import { fmt } from "./util.js";
        export default { methods: { show() { return fmt(1); } } };
        </script>
        """,
    # Kotlin: qualified imports of a package's names; a class's members seen bare
    "kt/src/com/acme/geo/Point.kt": """\
        package com.acme.geo

        class Point(val x: Int) {
            fun norm(): Int = twice()
            fun twice(): Int = x * 2
        }
        """,
    "kt/src/com/acme/app/Main.kt": """\
        package com.acme.app

        import com.acme.geo.Point

        fun main() { println(Point(1).norm()) }
        """,
    # Elixir: `alias A.B` binds B; modules are named in full
    "ex/lib/repo.ex": """\
        defmodule Acme.Repo do
          def get(id), do: id
        end
        """,
    "ex/lib/user.ex": """\
        defmodule Acme.User do
          alias Acme.Repo
          def load(id), do: Repo.get(id)
        end
        """,
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("langs") / "proj"
    for rel, text in PROJECT.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    index = Index(str(root), config=load_config(environ={}, flags={"use_parallel": "false"}))
    summary = index.update()
    assert summary.failed == summary.skipped == 0
    yield index
    index.close()


def resolved(index, path, line, name, nth=0):
    store = index.store()
    rows = store.conn.execute(
        "SELECT r.file_id, f.path, f.language, r.line, r.col, r.name, r.kind, r.qualifier, "
        "r.alias FROM refs r JOIN files f ON f.id = r.file_id "
        "WHERE f.path = ? AND r.line = ? AND r.name = ? ORDER BY r.col", (path, line, name)
    ).fetchall()
    assert rows, (path, line, name)
    resolution = Resolver(store).resolve(Ref(*rows[nth]))
    return resolution.how, sorted(f"{t.path}:{t.qualified_name}" for t in resolution.targets)


CASES = [
    # JavaScript / TypeScript
    ("web/util.js", 2, "slug", 0, "local", ["web/util.js:slug"]),
    ("web/app.ts", 1, "default", 0, "import", ["web/util.js:Store"]),
    ("web/app.ts", 4, "Store", 0, "import", ["web/util.js:Store"]),
    ("web/app.ts", 5, "save", 0, "member", ["web/util.js:Store.save"]),  # super.
    ("web/app.ts", 5, "key", 0, "member", ["web/app.ts:Cached.key"]),  # this.
    ("web/app.ts", 6, "slug", 0, "import", ["web/util.js:slug"]),
    ("web/app.ts", 6, "slug", 1, "import", ["web/util.js:slug"]),  # u.slug (a namespace)
    ("web/app.ts", 6, "makeSlug", 0, "import", ["web/util.js:slug"]),  # a re-export
    ("web/app.ts", 8, "Store", 1, "import", ["web/util.js:Store"]),  # new Store()
    # Go
    ("go/shapes/area.go", 3, "pi", 0, "local", ["go/shapes/area.go:shapes.pi"]),
    ("go/shapes/area.go", 5, "Name", 0, "member", ["go/shapes/shape.go:shapes.Base.Name"]),
    ("go/main/main.go", 6, "Circle", 0, "import", ["go/shapes/shape.go:shapes.Circle"]),
    ("go/shapes/shape.go", 8, "Base", 0, "local", ["go/shapes/shape.go:shapes.Base"]),
    ("go/main/main.go", 7, "Area", 0, "unique_name",
     ["go/shapes/area.go:shapes.Circle.Area"]),  # an untyped local
    # Java
    ("java/com/acme/Box.java", 6, "Base", 0, "package",
     ["java/com/acme/Base.java:com.acme.Base"]),
    ("java/com/acme/Box.java", 7, "size", 0, "member",
     ["java/com/acme/Base.java:com.acme.Base.size"]),
    ("java/com/acme/Box.java", 8, "pad", 0, "import",
     ["java/com/acme/util/Strings.java:com.acme.util.Strings.pad"]),
    ("java/com/acme/Box.java", 8, "name", 0, "import",
     ["java/com/acme/util/Helper.java:com.acme.util.Helper.name"]),  # a wildcard import
    # C
    ("c/main.c", 5, "list_len", 0, "import", ["c/list.c:list_len"]),  # prototype + body
    ("c/main.c", 5, "helper", 0, "local", ["c/main.c:helper"]),  # the static one here
    # C#
    ("cs/Service.cs", 5, "User", 0, "import", ["cs/Models.cs:Acme.Models.User"]),
    ("cs/Service.cs", 5, "Tag", 0, "package", ["cs/Helper.cs:Acme.Services.Helper.Tag"]),
    # Rust
    ("rs/src/geometry.rs", 6, "twice", 0, "member", ["rs/src/geometry.rs:Point.twice"]),
    ("rs/src/geometry.rs", 5, "Norm", 0, "local", ["rs/src/geometry.rs:Norm"]),
    ("rs/src/main.rs", 4, "Point", 0, "import", ["rs/src/geometry.rs:Point"]),
    # PHP
    ("php/src/Http/Controller.php", 7, "User", 1, "import",
     ["php/src/Models/User.php:App.Models.User"]),
    ("php/src/Http/Controller.php", 7, "log", 0, "member",
     ["php/src/Http/Controller.php:App.Http.Controller.log"]),
    # Ruby
    ("rb/lib/greeter.rb", 4, "format_name", 0, "member",
     ["rb/lib/greeter.rb:Acme.Greeter.format_name"]),
    ("rb/app.rb", 3, "greet", 0, "unique_name", ["rb/lib/greeter.rb:Acme.Greeter.greet"]),
    ("rb/app.rb", 3, "Greeter", 0, "unique_name", ["rb/lib/greeter.rb:Acme.Greeter"]),
    # Lua, Zig (the `file` import style), Vue (embedded code), Kotlin, Elixir
    ("lua/app/main.lua", 2, "round", 0, "import", ["lua/lib/shapes/util.lua:M.round"]),
    ("zig/main.zig", 2, "area", 0, "import", ["zig/geo.zig:area"]),
    ("vue/Card.vue", 4, "fmt", 0, "import", ["vue/util.js:fmt"]),
    ("kt/src/com/acme/app/Main.kt", 5, "Point", 0, "import",
     ["kt/src/com/acme/geo/Point.kt:com.acme.geo.Point"]),
    ("kt/src/com/acme/geo/Point.kt", 4, "twice", 0, "member",
     ["kt/src/com/acme/geo/Point.kt:com.acme.geo.Point.twice"]),
    ("ex/lib/user.ex", 3, "get", 0, "import", ["ex/lib/repo.ex:Acme.Repo.get"]),
]


@pytest.mark.parametrize("path, line, name, nth, how, targets", CASES,
                         ids=[f"{c[0]}:{c[1]}:{c[2]}" for c in CASES])
def test_resolution(index, path, line, name, nth, how, targets):
    assert resolved(index, path, line, name, nth) == (how, targets)


def test_go_callers_across_the_package(index):
    answer = index.call_hierarchy("shapes.Base.Name", "incoming")
    assert [c.symbol.qualified_name for c in answer.items[0].children] == [
        "shapes.Circle.Label"]
