"""dlguide.figures：图名由页面模块决定，每张图都被页面引用，SVG 可复现、文字浏览器能显示，缓存按源码失效。"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dlguide import figures
from dlguide.figures import figure, new_figure, registered, render, render_all, show, source_key, to_svg

DOCS = Path(__file__).resolve().parents[1] / "docs"
FIGURE_REF = re.compile(r"\]\((?:\.\./)*figures/([^)\s]+\.svg)\)")
# 画得最快的几张：在测试里重画一遍，和构建（另一个进程）画出的文件逐字节比较。
SAMPLE = ["activations/sigmoid/sigmoid_and_derivative.svg", "basics/layer-shapes/network_shapes.svg"]


def _referenced() -> dict[str, list[str]]:
    refs: dict[str, list[str]] = {}
    for page in DOCS.rglob("*.md"):
        for name in FIGURE_REF.findall(page.read_text(encoding="utf-8")):
            refs.setdefault(name, []).append(str(page.relative_to(DOCS)))
    return refs


@pytest.mark.parametrize("name", SAMPLE)
def test_figure_is_reproducible_across_processes(name: str, built_site: tuple[Path, str]) -> None:
    svg = render(name)
    assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>")
    assert "<dc:date>" not in svg
    site, _ = built_site
    assert (site / "figures" / name).read_text(encoding="utf-8") == svg


def test_every_built_figure_has_only_text_browsers_can_show(built_site: tuple[Path, str]) -> None:
    """每张构建出的图：没有缺字形的占位符，文字只用站点的字体栈（以 sans-serif 兜底）。"""
    site, _ = built_site
    problems = []
    for name in registered():
        svg = (site / "figures" / name).read_text(encoding="utf-8")
        if "¤" in svg:
            problems.append(f"{name}: 有 {svg.count('¤')} 个缺字形的 ¤")
        for family in set(re.findall(r"font-family:\s*([^;\"]+)", svg)):
            if not family.strip().endswith("sans-serif"):
                problems.append(f"{name}: 字体 {family}")
    assert problems == []


def test_names_follow_the_page_modules() -> None:
    names = registered()
    assert "activations/sigmoid/sigmoid_and_derivative.svg" in names
    for name in names:
        chapter, page, _ = name.split("/")
        assert (DOCS / chapter / f"{page}.md").is_file(), name


def test_every_figure_is_used_and_every_reference_exists() -> None:
    refs = _referenced()
    assert sorted(set(registered()) - set(refs)) == [], "注册了但没有页面引用的图"
    assert sorted(set(refs) - set(registered())) == [], "页面引用了但没有注册的图"


def test_every_figure_reference_has_alt_text() -> None:
    for page in DOCS.rglob("*.md"):
        for alt in re.findall(r"!\[([^\]]*)\]\((?:\.\./)*figures/", page.read_text(encoding="utf-8")):
            assert len(alt.strip()) >= 8, f"{page}: 图的替代文字太短：{alt!r}"


def test_a_figure_outside_a_page_module_is_refused() -> None:
    with pytest.raises(ValueError, match="module 必须形如 'dlguide.pages"):
        figure(new_figure)
    with pytest.raises(ValueError, match="name 必须是已注册的图名"):
        render("nope/none/none.svg")


def test_a_failing_figure_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    broken.__module__ = "dlguide.pages.activations.sigmoid"
    monkeypatch.setitem(figures._REGISTRY, "activations/sigmoid/broken.svg", broken)
    with pytest.raises(RuntimeError, match=r"画图 activations/sigmoid/broken.svg（dlguide.pages.activations.sigmoid.*broken）失败"):
        render("activations/sigmoid/broken.svg")


def test_math_text_and_missing_glyphs_are_refused() -> None:
    fig, (ax,) = new_figure()
    ax.set_title(r"$\sigma'(z)$")
    with pytest.raises(ValueError, match="cmsy10"):
        to_svg(fig)
    fig, (ax,) = new_figure()
    ax.set_title("$层$")
    with pytest.raises(ValueError, match="缺字形"):
        to_svg(fig)


def test_log_axis_ticks_use_the_whole_font_stack() -> None:
    fig, (ax,) = new_figure()
    ax.semilogy([1, 2], [1e-3, 1e3])
    families = set(re.findall(r"font-family:\s*([^;\"]+)", to_svg(fig)))
    assert len(families) == 1 and families.pop().endswith("sans-serif")


def test_cache_is_used_until_the_source_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = SAMPLE[0]
    key = source_key(name)
    (tmp_path / f"{key}.svg").write_text("<svg>cached</svg>", encoding="utf-8")
    calls: list[str] = []
    monkeypatch.setattr(figures, "registered", lambda: [name])
    monkeypatch.setattr(figures, "render", lambda n: calls.append(n) or "<svg>fresh</svg>")
    assert render_all(tmp_path) == {name: "<svg>cached</svg>"} and calls == []
    monkeypatch.setattr(figures, "source_key", lambda n: "0" * 64)  # 源码变了：键变了
    assert render_all(tmp_path) == {name: "<svg>fresh</svg>"} and calls == [name]
    assert (tmp_path / f"{'0' * 64}.svg").read_text(encoding="utf-8") == "<svg>fresh</svg>"


def test_parallel_rendering_gives_the_same_files(tmp_path: Path) -> None:
    """``jobs=2`` 在两个新进程里画图：文件与本进程画的逐字节相同，也照样写进缓存。"""
    names = ["activations/sigmoid/sigmoid_and_derivative.svg", "activations/activation-functions/activations_and_derivatives.svg"]
    parallel = render_all(tmp_path, names=names, jobs=2)
    assert parallel == {name: render(name) for name in names}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{source_key(n)}.svg" for n in names)


def test_source_key_covers_the_library_modules_a_page_imports() -> None:
    deps = figures._dlguide_imports("dlguide.pages.activations.sigmoid")
    assert {"dlguide.pages.activations.sigmoid", "dlguide.activations", "dlguide.figures"} <= deps


def test_show_requires_alt_text() -> None:
    fig, _ = new_figure()
    with pytest.raises(ValueError, match="alt 必须是"):
        show(fig, alt="  ")


def test_figure_helpers_check_their_arguments() -> None:
    from dlguide.figures import new_figure, show, to_svg  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    for kwargs, error, message in (
        ({"ncols": 10**9}, ValueError, r"ncols 必须在 \[1, 20\] 内"),
        ({"ncols": None}, TypeError, "ncols 必须是整数"),
        ({"width": 0.0}, ValueError, r"width 必须在 \(0, 100\] 内"),
        ({"height": float("nan")}, ValueError, "height 必须在"),
        ({"width": None}, TypeError, "width 必须是实数"),
    ):
        with pytest.raises(error, match=message):
            new_figure(**kwargs)
    for bad in (None, "fig", 3):
        with pytest.raises(TypeError, match="fig 必须是 matplotlib.figure.Figure"):
            to_svg(bad)
        with pytest.raises(TypeError, match="fig 必须是 matplotlib.figure.Figure"):
            show(bad, alt="一张图")
