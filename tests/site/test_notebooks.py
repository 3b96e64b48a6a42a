"""每页的 Jupyter 笔记本：恰好是页面上的示例（顺序、代码、期望输出），执行后的输出与页面一致；速答、勘误汇总页收齐了全站的框。"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import dlguide_notebooks
import dlguide_summaries
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TOC = yaml.safe_load((DOCS / "toc.yml").read_text(encoding="utf-8"))
PAGES = list(dict.fromkeys(t["page"].partition("#")[0] for g in TOC for t in g["topics"] if t.get("page")))


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


SYBIL = _load("dlguide_root_conftest", ROOT / "conftest.py")
CHECK = _load("check_notebooks", ROOT / "scripts" / "check_notebooks.py")


@pytest.mark.parametrize("page", PAGES)
def test_notebook_holds_exactly_the_pages_examples(page: str, built_site: tuple[Path, str]) -> None:
    """笔记本的代码单元按顺序拼起来，就是 Sybil 从页面解析出的全部示例（源码和期望输出）。"""
    site, _ = built_site
    notebook = json.loads((site / dlguide_notebooks.notebook_name(page)).read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    got_source = "".join("".join(c["source"]) + "\n" for c in code)
    got_want = "".join("".join("".join(o["text"]) for o in c["outputs"]) for c in code)
    examples = [e.region.parsed for e in SYBIL.pages.parse(DOCS / page)]
    want_source = "".join(e.source for e in examples)
    want_want = "".join(e.want for e in examples)
    assert re.sub(r"\n+", "\n", got_source) == re.sub(r"\n+", "\n", want_source)
    assert got_want == want_want
    assert any(c["cell_type"] == "markdown" for c in notebook["cells"])
    html = (site / page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert f'href="../{Path(page).stem}.ipynb"' in html  # 页面上有下载链接


def test_a_notebook_runs_and_reproduces_the_page_and_a_wrong_output_is_caught(
    built_site: tuple[Path, str], tmp_path: Path
) -> None:
    """执行一个笔记本（其余的由 CI 在测试套件之后全部执行：scripts/check_notebooks.py）。
    故意改错一个期望输出，检查恰好报出那一个单元。"""
    site, _ = built_site
    original = site / dlguide_notebooks.notebook_name("activations/sigmoid.md")
    copy = tmp_path / original.name
    notebook = json.loads(original.read_text(encoding="utf-8"))
    target = next(c for c in notebook["cells"] if c["cell_type"] == "code" and c["outputs"])
    target["outputs"][0]["text"] = ["[0.0, 0.1192, 0.5, 0.8808, 0.9999]\n"]
    copy.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    problems = CHECK.check(copy)
    assert len(problems) == 1 and "0.9999" in problems[0], problems


def test_summary_pages_collect_every_box(built_site: tuple[Path, str]) -> None:
    site, _ = built_site
    quick = (site / "quick-answers" / "index.html").read_text(encoding="utf-8")
    errata = (site / "errata" / "index.html").read_text(encoding="utf-8")
    n_quick = n_errata = 0
    for page in PAGES:
        url = page.removesuffix(".md") + "/"
        html = (site / url / "index.html").read_text(encoding="utf-8")
        for box in dlguide_summaries.boxes((DOCS / page).read_text(encoding="utf-8")):
            assert f'id="{box.anchor}"' in html, (page, box.anchor)  # 原页面上有锚点
            summary = quick if box.kind == "速答" else errata
            assert f'href="../{url}#{box.anchor}"' in summary, (page, box.title)
            n_quick += box.kind == "速答"
            n_errata += box.kind == "勘误"
    assert n_quick == len(PAGES)  # 每个专题页恰好一个速答框
    assert f"共 {n_errata} 条" in errata and n_errata >= 30


def test_boxes_are_found_inside_other_blocks_and_numbered() -> None:
    text = '# t\n\n!!! abstract "速答"\n    1. a\n\n## x\n\n!!! danger "勘误 1：x"\n    证据\n\n    !!! danger "勘误 2：y"\n        z\n'
    found = dlguide_summaries.boxes(text)
    assert [(b.kind, b.anchor) for b in found] == [("速答", "quick-answer"), ("勘误", "erratum-1"), ("勘误", "erratum-2")]
    assert found[1].body == ["证据", "", '!!! danger "勘误 2：y"', "    z"]
    anchored = dlguide_summaries.add_box_anchors(text)
    assert '    <a id="erratum-2"></a>' in anchored


def test_copy_of_summaries_is_not_in_the_docs_folder() -> None:
    """汇总页只在构建时生成，docs/ 里没有手抄的副本。"""
    assert not (DOCS / "errata.md").exists() and not (DOCS / "quick-answers.md").exists()
