"""Benchmark corpora: real code fetched from the package registries, never committed.

    python benchmarks/corpora.py NAME...      # build (if missing) and print each corpus path
    python benchmarks/corpora.py --list       # the names and what each one is

Each corpus is a directory of source files. The ones that Debian installs are used in
place (`/usr/share/go-1.19/src`, `/usr/src/rustc-*/library`); the others are unpacked
under `benchmarks/.corpora/` (gitignored). `apt-get` and `npm` run only when a corpus is
missing, and every command is printed before it runs.

| name       | what                                                | from |
|------------|-----------------------------------------------------|------|
| stdlib     | the running interpreter's standard library, *.py   | already on disk |
| go         | Go 1.19 standard library                            | Debian golang-src |
| rust       | Rust 1.63 standard library (`library/`)             | Debian rust-src |
| java       | OpenJDK 17 class library (src.zip unzipped)         | Debian openjdk-17-source |
| typescript | the `typescript@5` npm package (.d.ts and .js)     | npm pack |
| javascript | the `eslint@8.57.0` npm package (plain modern JS)   | npm pack |
| ruby       | Ruby 3.1 standard library (`/usr/lib/ruby/3.1.0`)   | Debian libruby3.1 |
| php        | Composer + its Symfony deps (`/usr/share/php`)      | Debian composer |
| linux      | the whole Linux 6.1 tree (≈1.2 GB, minutes)         | Debian linux-source-6.1 |
| c          | kernel/, mm/, fs/ext4, net/ipv4, include/linux      | a subset of linux |
| cpp        | googletest + googlemock sources, nlohmann/json, fmt | Debian googletest, nlohmann-json3-dev, libfmt-dev |
| multi      | ≈300 files each of Go, Rust, Java, C, TS, JS, C++, Python | copied from the above |
| objc       | React Native 0.74's Objective-C: `.m`, and the `.h` that read as Objective-C | npm react-native@0.74.5 |
| html       | the Python 3.11 documentation (Sphinx HTML)         | Debian python3.11-doc |
| css        | Bootstrap 5.3, Bulma 1.0 and animate.css stylesheets (no `.min.css`) | npm bootstrap@5.3.3, bulma@1.0.2, animate.css@4.1.1 |
| scss       | Bootstrap 5.3 and Bulma 1.0 SCSS sources            | npm bootstrap@5.3.3, bulma@1.0.2 |
| markdown   | npm 10's documentation (`docs/`, READMEs, changelog)  | npm npm@10.9.2 |
| vue        | PrimeVue 3.53 components (`.vue`)                   | npm primevue@3.53.0 |
| svelte     | Carbon Components Svelte 0.85 (`.svelte`)           | npm carbon-components-svelte@0.85.4 |

The corpora of the languages added as data (forty-languages issue), fetched the same way
(Debian *source* packages through a private apt list of `deb-src` lines under
`benchmarks/.corpora/.apt/`, which leaves the system's apt configuration alone; Debian
binary packages with `apt-get download` + `dpkg-deb -x`, nothing installed):

| name       | what                                                | from |
|------------|-----------------------------------------------------|------|
| expo       | expo-modules-core 58.1.0: Android Kotlin, iOS Swift | npm pack |
| scala      | Scala 2.11.12 compiler and library sources          | Debian source scala |
| kernel-misc| Linux 6.1 Makefiles/Kbuild, shell scripts, devicetree YAML | linux-source-6.1 (as `linux`) |
| lua        | Penlight 1.13 (Lua library)                         | Debian lua-penlight |
| elixir     | Elixir 1.14 standard library and tooling            | Debian source elixir-lang |
| haskell    | xmonad 0.17, xmonad-contrib 0.17 and HLint 3.3      | Debian sources xmonad, xmonad-contrib, hlint |
| ocaml      | OCaml 4.13.1 compiler and standard library (.ml, .mli) | Debian source ocaml |
| zig        | Zig 0.17.1 standard library (`lib/std`)             | PyPI wheel ziglang |
| dart       | FlatBuffers 2.0.8 and Thrift 0.17 Dart libraries    | Debian sources flatbuffers, thrift |
| julia      | PythonCall.jl as bundled by juliacall 0.9.37        | PyPI sdist juliacall |
| perl       | Perl 5.36 core modules (`/usr/share/perl/5.36`)     | Debian perl-modules-5.36 |
| ansible    | Ansible 7.7 collections: PowerShell modules, YAML, JSON | Debian ansible |
| sql        | PostgreSQL 15 extension scripts (`share/postgresql/15`) | Debian postgresql-15 |
| hcl        | HCL 2.14 and 1.0 test files, terraform-json 0.5 Terraform test configurations | Debian sources golang-github-hashicorp-hcl-v2, -hcl, -terraform-json |
| dockerfile | Docker 20.10 (engine, CLI, libnetwork, swarmkit) Dockerfiles | Debian source docker.io |
| cmake      | CMake 3.25 modules (`share/cmake-3.25`)             | Debian cmake-data |
| toml       | Cargo 0.66 and its vendored crates (Cargo.toml, tests) | Debian source cargo |

Library use: `corpus_path(name)` builds and returns the directory; `corpus_files(name,
language)` lists `(absolute path, root-relative path)` of one language's files in it.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
CORPORA = HERE / ".corpora"
MARKER = ".complete"  # written last: a directory without it is a half-built corpus

# file extensions per language, as ragex maps them (src/ragex/languages.py)
EXTENSIONS = {
    "python": (".py",),
    "go": (".go",),
    "rust": (".rs",),
    "java": (".java",),
    "c": (".c", ".h"),
    "cpp": (".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".h", ".inl", ".ipp"),
    "typescript": (".ts", ".mts", ".cts"),
    "javascript": (".js", ".mjs", ".cjs", ".jsx"),
    "ruby": (".rb",),
    "php": (".php",),
    "objc": (".m", ".h"),  # a `.h` only when it reads as Objective-C (see corpus_files)
    "html": (".html", ".htm"),
    "css": (".css",),
    "scss": (".scss",),
    "markdown": (".md", ".markdown"),
    "vue": (".vue",),
    "svelte": (".svelte",),
    # --- languages added as data (forty-languages issue) ---
    "kotlin": (".kt", ".kts"),
    "swift": (".swift",),
    "scala": (".scala",),
    "bash": (".sh", ".bash"),
    "lua": (".lua",),
    "elixir": (".ex", ".exs"),
    "haskell": (".hs",),
    "ocaml": (".ml",),
    "ocaml_interface": (".mli",),
    "zig": (".zig",),
    "dart": (".dart",),
    "julia": (".jl",),
    "perl": (".pm", ".pl"),
    "powershell": (".ps1", ".psm1"),
    "sql": (".sql",),
    "hcl": (".hcl", ".tf", ".tfvars"),
    "cmake": (".cmake", "CMakeLists.txt"),
    "yaml": (".yaml", ".yml"),
    "toml": (".toml",),
    "json": (".json",),
    "r": (".R", ".r"),
    "protobuf": (".proto",),
}
# files of these names are left out: minified stylesheets are one line of generated code
EXCLUDED_SUFFIXES = (".min.css",)

# languages whose files are found by name (fnmatch patterns on the base name)
NAME_PATTERNS = {
    "dockerfile": ("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile"),
    "make": ("Makefile", "makefile", "GNUmakefile", "Kbuild", "*.mk"),
}
# names those patterns match that are no such file (`Dockerfile.5.md`, a manual page)
NAME_EXCLUDE = (".md", ".txt", ".orig", ".rej")

# the languages each corpus is used for (first = its main language)
LANGUAGES_OF = {
    "stdlib": ("python",),
    "go": ("go",),
    "rust": ("rust",),
    "java": ("java",),
    "typescript": ("typescript", "javascript"),
    "javascript": ("javascript",),
    "ruby": ("ruby",),
    "php": ("php",),
    "linux": ("c",),
    "c": ("c",),
    "cpp": ("cpp",),
    "multi": ("go", "rust", "java", "c", "cpp", "typescript", "javascript", "python", "ruby",
              "php"),
    "objc": ("objc",),
    "html": ("html",),
    "css": ("css",),
    "scss": ("scss",),
    "markdown": ("markdown",),
    "vue": ("vue",),
    "svelte": ("svelte",),
    # --- languages added as data (forty-languages issue) ---
    "expo": ("kotlin", "swift"),
    "scala": ("scala",),
    "kernel-misc": ("make", "bash", "yaml"),
    "lua": ("lua",),
    "elixir": ("elixir",),
    "haskell": ("haskell",),
    "ocaml": ("ocaml", "ocaml_interface"),
    "zig": ("zig",),
    "dart": ("dart",),
    "julia": ("julia",),
    "perl": ("perl",),
    "ansible": ("powershell", "yaml", "json"),
    "sql": ("sql",),
    "hcl": ("hcl",),
    "dockerfile": ("dockerfile",),
    "cmake": ("cmake",),
    "toml": ("toml",),
    "r": ("r",),
    "protobuf": ("protobuf",),
}

C_SUBSET = ("kernel", "mm", "fs/ext4", "net/ipv4", "include/linux")
LINUX_TARBALL = "/usr/src/linux-source-6.1.tar.xz"
LINUX_TOP = "linux-source-6.1"
MULTI_PER_LANGUAGE = 300


def log(msg: str) -> None:
    print(f"[corpora] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], cwd: Optional[Path] = None) -> None:
    log("$ " + " ".join(cmd) + (f"    (in {cwd})" if cwd else ""))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(cmd, cwd=cwd, check=True, env=env, stdout=sys.stderr)


_APT_UPDATED = False


def apt_install(*packages: str) -> None:
    global _APT_UPDATED
    if shutil.which("apt-get") is None:
        raise SystemExit(f"apt-get not found: install {' '.join(packages)} by hand")
    log(f"installing Debian package(s): {' '.join(packages)}")
    if not _APT_UPDATED:
        run(["apt-get", "update", "-q"])
        _APT_UPDATED = True
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages])


def _done(directory: Path) -> bool:
    return (directory / MARKER).exists()


def _finish(directory: Path) -> Path:
    (directory / MARKER).write_text("ok\n")
    return directory


def _fresh(directory: Path) -> Path:
    if directory.exists():
        log(f"removing half-built {directory}")
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return directory


# ------------------------------------------------------------------ the corpora


def build_stdlib() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def build_go() -> Path:
    def find() -> Optional[Path]:
        found = sorted(glob.glob("/usr/share/go-1.*/src"), key=_version_key)
        return Path(found[-1]) if found else None

    path = find()
    if path is None:
        apt_install("golang-src")
        path = find()
    if path is None:
        raise SystemExit("golang-src installed but no /usr/share/go-1.*/src")
    return path


def build_rust() -> Path:
    def find() -> Optional[Path]:
        found = sorted(glob.glob("/usr/src/rustc-*/library"), key=_version_key)
        return Path(found[-1]) if found else None

    path = find()
    if path is None:
        apt_install("rust-src")
        path = find()
    if path is None:
        raise SystemExit("rust-src installed but no /usr/src/rustc-*/library")
    return path


def build_java() -> Path:
    target = CORPORA / "java"
    if _done(target):
        return target

    def find() -> Optional[str]:
        for pattern in ("/usr/lib/jvm/openjdk-17/lib/src.zip",
                        "/usr/lib/jvm/java-17-openjdk-*/lib/src.zip"):
            hits = sorted(glob.glob(pattern))
            if hits:
                return hits[0]
        return None

    src_zip = find()
    if src_zip is None:
        apt_install("openjdk-17-source")
        src_zip = find()
    if src_zip is None:
        raise SystemExit("openjdk-17-source installed but no src.zip found")
    _fresh(target)
    if shutil.which("unzip"):
        run(["unzip", "-q", src_zip, "-d", str(target)])
    else:
        import zipfile
        log(f"unzipping {src_zip} (python zipfile)")
        with zipfile.ZipFile(src_zip) as zf:
            zf.extractall(target)
    return _finish(target)


def build_typescript() -> Path:
    return _npm_package("typescript", "typescript@5")


def _npm_package(name: str, spec: str) -> Path:
    target = CORPORA / name
    if _done(target):
        return target / "package"
    if shutil.which("npm") is None:
        apt_install("npm")
    _fresh(target)
    log(f"fetching the npm package {spec}")
    run(["npm", "pack", spec, "--silent"], cwd=target)
    tarballs = sorted(target.glob("*.tgz"))
    if not tarballs:
        raise SystemExit("npm pack produced no tarball")
    run(["tar", "xzf", tarballs[-1].name], cwd=target)
    tarballs[-1].unlink()
    _finish(target)
    return target / "package"


def build_javascript() -> Path:
    return _npm_package("javascript", "eslint@8.57.0")


def _npm_packages(name: str, specs: tuple[str, ...]) -> Path:
    """Several npm packages unpacked side by side: `<corpus>/<package name>/`."""
    target = CORPORA / name
    if _done(target):
        return target
    if shutil.which("npm") is None:
        apt_install("npm")
    _fresh(target)
    for spec in specs:
        log(f"fetching the npm package {spec}")
        run(["npm", "pack", spec, "--silent"], cwd=target)
        tarball = sorted(target.glob("*.tgz"))[-1]
        folder = target / spec.rsplit("@", 1)[0].replace("/", "_")
        folder.mkdir()
        run(["tar", "xzf", str(tarball), "-C", str(folder), "--strip-components=1"])
        tarball.unlink()
    return _finish(target)


def build_objc() -> Path:
    return _npm_package("objc", "react-native@0.74.5")


def build_html() -> Path:
    return _debian_dir("/usr/share/doc/python3.*/html", "python3.11-doc")


def build_css() -> Path:
    return _npm_packages("css", ("bootstrap@5.3.3", "bulma@1.0.2", "animate.css@4.1.1"))


def build_scss() -> Path:
    return _npm_packages("scss", ("bootstrap@5.3.3", "bulma@1.0.2"))


def build_markdown() -> Path:
    return _npm_package("markdown", "npm@10.9.2")


def build_vue() -> Path:
    return _npm_package("vue", "primevue@3.53.0")


def build_svelte() -> Path:
    return _npm_package("svelte", "carbon-components-svelte@0.85.4")


def _debian_dir(pattern: str, package: str) -> Path:
    def find() -> Optional[Path]:
        found = sorted(glob.glob(pattern), key=_version_key)
        return Path(found[-1]) if found else None

    path = find()
    if path is None:
        apt_install(package)
        path = find()
    if path is None:
        raise SystemExit(f"{package} installed but nothing matches {pattern}")
    return path


def build_ruby() -> Path:
    return _debian_dir("/usr/lib/ruby/3.*", "libruby3.1")


def build_php() -> Path:
    if not os.path.isdir("/usr/share/php/Composer"):
        apt_install("composer")
    return Path("/usr/share/php")


def _linux_tarball() -> str:
    if not os.path.exists(LINUX_TARBALL):
        apt_install("linux-source-6.1")
    if not os.path.exists(LINUX_TARBALL):
        raise SystemExit(f"linux-source-6.1 installed but no {LINUX_TARBALL}")
    return LINUX_TARBALL


def build_linux() -> Path:
    target = CORPORA / "linux"
    if _done(target):
        return target / LINUX_TOP
    tarball = _linux_tarball()
    _fresh(target)
    log("unpacking the Linux source (≈1.2 GB; takes a few minutes)")
    run(["tar", "xf", tarball], cwd=target)
    _finish(target)
    return target / LINUX_TOP


def build_c() -> Path:
    target = CORPORA / "c"
    if _done(target):
        return target
    linux = CORPORA / "linux"
    _fresh(target)
    if _done(linux):  # copy from the unpacked tree: seconds
        for sub in C_SUBSET:
            dst = target / sub
            dst.parent.mkdir(parents=True, exist_ok=True)
            log(f"copying linux/{sub}")
            shutil.copytree(linux / LINUX_TOP / sub, dst)
    else:  # unpack only the subset (still decompresses the whole archive)
        tarball = _linux_tarball()
        log("unpacking a subset of the Linux source")
        run(["tar", "xf", tarball, "--strip-components=1",
             *[f"{LINUX_TOP}/{sub}" for sub in C_SUBSET]], cwd=target)
    return _finish(target)


def build_cpp() -> Path:
    target = CORPORA / "cpp"
    if _done(target):
        return target
    sources = {
        "googletest": ("/usr/src/googletest", "googletest"),
        "nlohmann": ("/usr/include/nlohmann", "nlohmann-json3-dev"),
        "fmt": ("/usr/include/fmt", "libfmt-dev"),
    }
    missing = [pkg for src, pkg in sources.values() if not os.path.isdir(src)]
    if missing:
        apt_install(*missing)
    _fresh(target)
    for name, (src, _) in sources.items():
        log(f"copying {src}")
        shutil.copytree(src, target / name, symlinks=False)
    return _finish(target)


def build_multi() -> Path:
    """A few hundred files of each language, spread over each corpus's directories."""
    target = CORPORA / "multi"
    if _done(target):
        return target
    picks = [("go", "go"), ("rust", "rust"), ("java", "java"), ("c", "c"), ("cpp", "cpp"),
             ("typescript", "typescript"), ("javascript", "javascript"), ("stdlib", "python"),
             ("ruby", "ruby"), ("php", "php")]
    plans = []
    for corpus, language in picks:
        files = corpus_files(corpus, language, max_bytes=1024 * 1024)
        step = max(1, len(files) // MULTI_PER_LANGUAGE)
        plans.append((language, files[::step][:MULTI_PER_LANGUAGE]))
    _fresh(target)
    for language, chosen in plans:
        log(f"copying {len(chosen)} {language} files")
        for path, rel in chosen:
            dst = target / language / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dst)
    return _finish(target)


# ------------------------------------ corpora of the languages added as data

_APT_DIR = CORPORA / ".apt"
# suites whose source packages the private apt list reads: the machine's release
_APT_SUITES = ("bookworm",)
_APT_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"


def _apt_options() -> list[str]:
    return ["-o", f"Dir::Etc::SourceList={_APT_DIR / 'sources.list'}",
            "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", f"Dir::State::Lists={_APT_DIR / 'lists'}"]


def _apt_source_lists() -> None:
    """A private apt list of `deb-src` lines (the system's sources are left alone)."""
    if (_APT_DIR / MARKER).exists():
        return
    (_APT_DIR / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (_APT_DIR / "sources.list").write_text("".join(
        f"deb-src [signed-by={_APT_KEYRING}] http://deb.debian.org/debian {suite} main\n"
        for suite in _APT_SUITES))
    run(["apt-get", "-q", *_apt_options(), "update"])
    (_APT_DIR / MARKER).write_text("ok\n")


def _debian_source(package: str, target: Path) -> None:
    """Unpack the upstream tarballs (`*.orig*.tar.*`) of a Debian source package into
    `target/package/` (no Debian patches: the upstream code as released)."""
    _apt_source_lists()
    work = target / ".download" / package
    work.mkdir(parents=True, exist_ok=True)
    run(["apt-get", "-q", *_apt_options(), "source", "--download-only", package], cwd=work)
    tarballs = sorted(p for p in work.iterdir() if ".orig" in p.name and ".tar." in p.name
                      and not p.name.endswith(".asc"))
    if not tarballs:
        raise SystemExit(f"apt-get source {package} gave no upstream tarball")
    dest = target / package
    dest.mkdir(parents=True, exist_ok=True)
    for tarball in tarballs:
        run(["tar", "xf", str(tarball), "-C", str(dest)])
    shutil.rmtree(target / ".download")


def _debian_binary(package: str, target: Path) -> Path:
    """The files of a Debian binary package, unpacked (not installed) into `target/package`."""
    work = target / ".download"
    work.mkdir(parents=True, exist_ok=True)
    run(["apt-get", "download", "-q", package], cwd=work)
    debs = sorted(work.glob(f"{package}_*.deb"))
    if not debs:
        raise SystemExit(f"apt-get download {package} gave no .deb")
    dest = target / package
    run(["dpkg-deb", "-x", str(debs[-1]), str(dest)])
    shutil.rmtree(work)
    return dest


def _corpus(name: str, fill: Callable[[Path], None]) -> Callable[[], Path]:
    def build() -> Path:
        target = CORPORA / name
        if _done(target):
            return target
        _fresh(target)
        fill(target)
        return _finish(target)
    build.__name__ = f"build_{name}"
    return build


def _npm_into(spec: str):
    def fill(target: Path) -> None:
        if shutil.which("npm") is None:
            apt_install("npm")
        run(["npm", "pack", spec, "--silent"], cwd=target)
        tarball = sorted(target.glob("*.tgz"))[-1]
        run(["tar", "xzf", tarball.name], cwd=target)
        tarball.unlink()
    return fill


def _sources(*packages: str):
    def fill(target: Path) -> None:
        for package in packages:
            _debian_source(package, target)
    return fill


def _binaries(*packages: str):
    def fill(target: Path) -> None:
        for package in packages:
            _debian_binary(package, target)
    return fill


def _pypi_sdists(*specs: str):
    """The source distributions of PyPI packages, unpacked (`pip download --no-binary`)."""
    def fill(target: Path) -> None:
        work = target / ".download"
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             "-d", str(work), *specs])
        for tarball in sorted(work.glob("*.tar.gz")):
            run(["tar", "xzf", str(tarball), "-C", str(target)])
        shutil.rmtree(work)
    return fill


def _kernel_misc(target: Path) -> None:
    """The kernel's Makefiles and Kbuild files, shell scripts and devicetree YAML."""
    linux = CORPORA / "linux"
    patterns = ["*/Makefile", "*/Kbuild", "*.sh", f"{LINUX_TOP}/Documentation/devicetree/*.yaml"]
    if _done(linux):
        import fnmatch
        top = linux / LINUX_TOP
        for directory, dirs, files in os.walk(top):
            for f in files:
                rel = os.path.relpath(os.path.join(directory, f), linux)
                if any(fnmatch.fnmatch(rel, pat) for pat in patterns):
                    dst = target / rel
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(os.path.join(directory, f), dst)
        return
    run(["tar", "xf", _linux_tarball(), "--wildcards", *patterns], cwd=target)


def _zig_std(target: Path) -> None:
    """`lib/std` of the ziglang wheel (PyPI), unzipped (the wheel is not installed)."""
    import zipfile
    work = target / ".download"
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "-d", str(work), "ziglang==0.17.1"])
    wheel = sorted(work.glob("ziglang-*.whl"))[-1]
    with zipfile.ZipFile(wheel) as zf:
        for member in zf.namelist():
            if member.startswith("ziglang/lib/std/") and member.endswith(".zig"):
                zf.extract(member, target)
    shutil.rmtree(work)


def _perl_modules(target: Path) -> None:
    src = _debian_dir("/usr/share/perl/5.*", "perl-modules-5.36")
    shutil.copytree(src, target / "perl", symlinks=False)


BUILDERS: dict[str, Callable[[], Path]] = {
    "stdlib": build_stdlib,
    "go": build_go,
    "rust": build_rust,
    "java": build_java,
    "typescript": build_typescript,
    "javascript": build_javascript,
    "ruby": build_ruby,
    "php": build_php,
    "linux": build_linux,
    "c": build_c,
    "cpp": build_cpp,
    "multi": build_multi,
    "objc": build_objc,
    "html": build_html,
    "css": build_css,
    "scss": build_scss,
    "markdown": build_markdown,
    "vue": build_vue,
    "svelte": build_svelte,
    # --- languages added as data (forty-languages issue) ---
    "expo": _corpus("expo", _npm_into("expo-modules-core@58.1.0")),
    "scala": _corpus("scala", _sources("scala")),
    "kernel-misc": _corpus("kernel-misc", _kernel_misc),
    "lua": _corpus("lua", _binaries("lua-penlight")),
    "elixir": _corpus("elixir", _sources("elixir-lang")),
    "haskell": _corpus("haskell", _sources("xmonad", "xmonad-contrib", "hlint")),
    "ocaml": _corpus("ocaml", _sources("ocaml")),
    "zig": _corpus("zig", _zig_std),
    "dart": _corpus("dart", _sources("flatbuffers", "thrift")),
    "julia": _corpus("julia", _pypi_sdists("juliacall==0.9.37")),
    "perl": _corpus("perl", _perl_modules),
    "ansible": _corpus("ansible", _binaries("ansible")),
    "sql": _corpus("sql", _binaries("postgresql-15")),
    "hcl": _corpus("hcl", _sources("golang-github-hashicorp-hcl-v2", "golang-github-hashicorp-hcl",
                                   "golang-github-hashicorp-terraform-json")),
    "dockerfile": _corpus("dockerfile", _sources("docker.io")),
    "cmake": _corpus("cmake", _binaries("cmake-data")),
    "toml": _corpus("toml", _sources("cargo")),
    # R's own packages (src/library/*/R) and Protocol Buffers' .proto files (descriptors,
    # well-known types, the conformance and unit-test messages)
    "r": _corpus("r", _sources("r-base")),
    "protobuf": _corpus("protobuf", _sources("protobuf")),
}


def _version_key(path: str):
    import re
    return [int(n) for n in re.findall(r"\d+", path)]


# ------------------------------------------------------------------ library API


def corpus_path(name: str) -> Path:
    """The corpus directory, built first if missing."""
    if name not in BUILDERS:
        raise SystemExit(f"unknown corpus {name!r}; choose from: {', '.join(BUILDERS)}")
    return BUILDERS[name]()


_SKIP_DIRS = {"site-packages", "__pycache__", ".git", "node_modules"}


def corpus_files(name: str, language: Optional[str] = None,
                 max_bytes: Optional[int] = None) -> list[tuple[str, str]]:
    """Sorted `(path, rel_path)` of the corpus's files in `language` (default: its main one).

    `max_bytes` drops larger files (ragex skips files above 4 MiB by default).
    In the `multi` corpus a language's files are those under its own directory.
    """
    import fnmatch

    language = language or LANGUAGES_OF[name][0]
    root = corpus_path(name)
    top = root / language if name == "multi" else root
    exts = EXTENSIONS.get(language, ())
    names = NAME_PATTERNS.get(language, ())
    out = []
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for f in sorted(files):
            if f == MARKER or f.endswith(EXCLUDED_SUFFIXES) or not (exts and f.endswith(exts)
                                   or names and not f.endswith(NAME_EXCLUDE)
                                   and any(fnmatch.fnmatch(f, pat) for pat in names)):
                continue
            path = os.path.join(directory, f)
            if not os.path.isfile(path):
                continue
            if language == "objc" and f.endswith(".h") and not _reads_as(path, "objc"):
                continue  # a C or C++ header of the same tree
            if max_bytes is not None and os.path.getsize(path) > max_bytes:
                continue
            out.append((path, os.path.relpath(path, root).replace(os.sep, "/")))
    return out


def _reads_as(path: str, language: str) -> bool:
    """Whether ragex detects the file as `language` from its content (a `.h`)."""
    from ragex.languages import language_for_path

    with open(path, "rb") as fh:
        return language_for_path(path, fh.read(8192)) == language


def describe(name: str) -> str:
    root = corpus_path(name)
    parts = []
    for language in LANGUAGES_OF[name]:
        files = corpus_files(name, language)
        size = sum(os.path.getsize(p) for p, _ in files)
        parts.append(f"{language}: {len(files)} files, {size / 1e6:.1f} MB")
    return f"{name}\t{root}\t" + "; ".join(parts)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help=f"corpus names: {', '.join(BUILDERS)}, or all")
    ap.add_argument("--list", action="store_true", help="list the corpus names")
    ap.add_argument("--stats", action="store_true", help="also print files and MB per language")
    args = ap.parse_args(argv)
    if args.list or not args.names:
        for name, langs in LANGUAGES_OF.items():
            print(f"{name}\t{', '.join(langs)}")
        return 0
    names = list(BUILDERS) if args.names == ["all"] else args.names
    for name in names:
        print(describe(name) if args.stats else corpus_path(name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
