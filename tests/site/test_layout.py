"""包的布局：页面 ↔ 实验模块 ↔ 测试文件一一对应；页面的代码引用都指向存在的定义，展示代码不展示 docstring。"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import dlguide_site
import pytest
import yaml

from dlguide.pages import module_for_page, page_for_module, page_modules

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TOC = yaml.safe_load((DOCS / "toc.yml").read_text(encoding="utf-8"))
WRITTEN = sorted({t["page"].partition("#")[0] for g in TOC for t in g["topics"] if t.get("page")})
PAGES = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", WRITTEN)
def test_every_topic_page_has_its_experiment_module(page: str) -> None:
    module = module_for_page(page)
    path = ROOT / (module.replace(".", "/") + ".py")
    assert path.is_file(), f"{page} 的实验模块应在 {path.relative_to(ROOT)}"


def test_every_experiment_module_has_its_page() -> None:
    orphans = [m.__name__ for m in page_modules() if not (DOCS / page_for_module(m.__name__)).is_file()]
    assert orphans == []


def test_page_file_names_map_back_and_forth() -> None:
    for page in WRITTEN:
        assert page_for_module(module_for_page(page)) == page


def test_tests_mirror_the_package() -> None:
    """tests/ 下的每个测试文件都对应一个库模块或页面实验模块（站点、浏览器和全包范围的测试除外）。"""
    strays = []
    for test in (ROOT / "tests").rglob("test_*.py"):
        rel = test.relative_to(ROOT / "tests")
        if rel.parts[0] in ("site", "browser", "package"):
            continue
        target = Path("dlguide", *rel.parts[:-1], rel.name.removeprefix("test_"))
        if rel.parts[0] != "pages" and target.name == "checks.py":
            target = target.with_name("_checks.py")
        if not (ROOT / target).is_file():
            strays.append(f"{rel} → 没有 {target}")
    assert strays == []


def _includes() -> list[tuple[str, int, str, str | None]]:
    found = []
    for page in PAGES:
        for line, path, name in dlguide_site.page_includes((DOCS / page).read_text(encoding="utf-8")):
            found.append((page, line, path, name))
    return found


@pytest.mark.parametrize(("page", "line", "path", "name"), _includes(), ids=lambda v: str(v))
def test_every_include_names_an_existing_definition(page: str, line: int, path: str, name: str | None) -> None:
    assert name, f"{page}:{line}: 代码引用要写明名字"
    for single in name.split(","):
        source = dlguide_site.extract_source(path, single.strip())
        definition = next(line for line in source.splitlines() if not line.startswith("@"))
        assert re.match(rf"(def|class) {single.strip().rsplit('.', 1)[-1]}\b|{single.strip()}\b", definition), definition
        assert '"""' not in source, f"{page}:{line}: 页面上的代码不应带 docstring"


def test_no_snippet_markers_left_in_the_package() -> None:
    """代码按名字引用，源码里不需要（也不该再有）--8<-- 标记：有的话说明有人以为它还起作用。"""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "dlguide").rglob("*.py") if "--8<--" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_extract_source_drops_docstrings_and_keeps_comments() -> None:
    source = dlguide_site.extract_source("dlguide/activations.py", "sigmoid")
    assert source.startswith("def sigmoid(z: torch.Tensor) -> torch.Tensor:")
    assert "# z ≥ 0" in source and '"""' not in source and "Examples" not in source


def test_extract_source_of_a_method_and_a_constant() -> None:
    assert dlguide_site.extract_source("dlguide/models.py", "ResidualBlock.forward").startswith("def forward(")
    assert dlguide_site.extract_source("dlguide/tracing.py", "TRANSCENDENTAL").startswith("TRANSCENDENTAL = frozenset(")


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ('text\n\n--8<-- "dlguide/no_such_module.py:f"\n', r"x\.md:3: 找不到要引用的文件 'dlguide/no_such_module.py'"),
        ('--8<-- "dlguide/activations.py:no_such_name"\n', r"x\.md:1: dlguide/activations.py 里没有名为 'no_such_name'"),
        ('--8<-- "dlguide/activations.py"\n', r"x\.md:1: 代码引用必须写明名字"),
    ],
)
def test_a_broken_include_fails_naming_page_and_line(markdown: str, message: str) -> None:
    with pytest.raises(dlguide_site.SiteError, match=message):
        dlguide_site.expand_includes(markdown, "x.md")


def test_include_keeps_the_indentation_of_the_fence() -> None:
    out = dlguide_site.expand_includes('    ```python\n    --8<-- "dlguide/device.py:get_device"\n    ```\n', "x.md")
    assert re.search(r"^    def get_device\(\) -> torch.device:$", out, re.MULTILINE)
    assert all(line.startswith("    ") for line in out.splitlines() if line)


def test_every_public_function_in_an_experiment_module_is_exported() -> None:
    """页面实验模块的公开定义都在 __all__ 里（API 页和坏输入测试都靠 __all__ 找到它们）。"""
    missing = []
    for module in page_modules():
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        public = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")}
        missing += [f"{module.__name__}.{n}" for n in sorted(public - set(module.__all__))]
    assert missing == []


def test_docstrings_use_autorefs_not_sphinx_roles() -> None:
    """docstring 里的交叉引用写成 [`名字`][dlguide.模块.名字]（mkdocstrings 会渲染成链接），不写 :func:`名字`。"""
    role = re.compile(r":(?:func|class|mod|data|meth|attr|exc|obj):`")
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sorted((ROOT / "dlguide").rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if role.search(line)
    ]
    assert offenders == []


def test_a_toc_entry_pointing_at_a_missing_page_names_toc_yml(tmp_path: Path) -> None:
    (tmp_path / "toc.yml").write_text(
        "- slug: basics\n  title: 基础\n  topics:\n    - title: 不存在的页\n      page: basics/nope.md\n", encoding="utf-8"
    )
    with pytest.raises(dlguide_site.SiteError, match=r"toc\.yml: 条目“不存在的页”的 page 指向不存在的文件 'basics/nope.md'"):
        dlguide_site.load_toc(tmp_path)
