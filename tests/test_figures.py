"""dlguide.figures：每张注册的图都能画出、可复现，并且被某个页面引用。"""

import re
from pathlib import Path

import pytest

from dlguide.figures import figure, new_figure, registered, render, show

DOCS = Path(__file__).resolve().parents[1] / "docs"
FIGURE_REF = re.compile(r"\]\((?:\.\./)*figures/([^)\s]+\.svg)\)")


def _referenced() -> dict[str, list[str]]:
    refs: dict[str, list[str]] = {}
    for page in DOCS.rglob("*.md"):
        for name in FIGURE_REF.findall(page.read_text(encoding="utf-8")):
            refs.setdefault(name, []).append(str(page.relative_to(DOCS)))
    return refs


@pytest.mark.parametrize("name", registered())
def test_figure_renders_deterministic_svg(name: str, built_site: tuple[Path, str]) -> None:
    """这里画一次，和站点构建（另一个进程）画出的文件逐字节相同：图可复现，构建里的就是代码画的。"""
    svg = render(name)
    assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>")
    assert "<dc:date>" not in svg
    site, _ = built_site
    assert (site / "figures" / name).read_text(encoding="utf-8") == svg


def test_every_figure_is_used_and_every_reference_exists() -> None:
    refs = _referenced()
    assert sorted(set(registered()) - set(refs)) == [], "注册了但没有页面引用的图"
    assert sorted(set(refs) - set(registered())) == [], "页面引用了但没有注册的图"


def test_every_figure_reference_has_alt_text() -> None:
    for page in DOCS.rglob("*.md"):
        for alt in re.findall(r"!\[([^\]]*)\]\((?:\.\./)*figures/", page.read_text(encoding="utf-8")):
            assert len(alt.strip()) >= 8, f"{page}: 图的替代文字太短：{alt!r}"


def test_bad_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="name 必须形如"):
        figure("Activations/Sigmoid.svg")
    with pytest.raises(ValueError, match="已经注册过"):
        figure("activations/sigmoid.svg")(lambda: None)
    with pytest.raises(KeyError, match="没有注册名为"):
        render("nope/none.svg")


def test_show_requires_alt_text() -> None:
    fig, _ = new_figure()
    with pytest.raises(ValueError, match="alt 必须是"):
        show(fig, alt="  ")
