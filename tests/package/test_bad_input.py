"""坏输入得到写明参数名的 TypeError/ValueError：对每个公开函数自动生成坏输入（issue 11）。

机制见 ``tests/package/fuzz_harness.py``：枚举 ``dlguide`` 下每个模块 ``__all__`` 里的每个可调用对象（不靠手写清单），
从签名、注解和 docstring 推出合法参数和坏参数，每次调用都在限时、限内存的子进程里运行。

``KNOWN_OFFENDERS`` 记录目前还不合格的（函数, 参数）：修好一个就删一条，清单只能变短，最终为空。
新出现的不合格项、以及已经修好却还留在清单里的项，都会让测试失败。
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
import torch

import dlguide
from dlguide._checks import check_choice, check_in_range, check_int
from tests.package import fuzz_harness as fh

# 目前还不合格的 “函数(参数)”（函数按 qualname，跨模块搬家不受影响）。
# 这份清单必须逐步缩短到空：修好一个参数就删掉它那一条（否则 test_known_offenders_still_offend 失败）。
# 重新生成完整列表和每条的修改建议：python tests/package/fuzz_harness.py --report FUZZ_REPORT.md
# 目前找不到合法调用、因而还没被测试的可调用对象（全名）。同样只能变短：给 VALID_BY_NAME 补候选值、
# 或在它的 docstring 里写一个调用它的示例（候选值都不行时，harness 重放示例里的那次调用）后删掉。
# 找合法调用超时（"valid call too slow"）不能写进这里：那总是错误，结果不能取决于机器负载。
KNOWN_UNTESTED: frozenset[str] = frozenset({
})

KNOWN_OFFENDERS: frozenset[str] = frozenset({
})


# 工作进程要用 forkserver 和 SIGALRM 定时器（Linux、macOS 有，Windows 没有）
posix_only = pytest.mark.skipif(
    not hasattr(signal, "setitimer") or "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="坏输入模糊测试需要 forkserver 和 signal.setitimer（POSIX）",
)


def _parse(entry: str) -> tuple[str, str]:
    match = re.fullmatch(r"(.+)\((.+)\)", entry)
    assert match, f"KNOWN_OFFENDERS 的条目必须形如 'fit(X)'，收到 {entry!r}"
    return match.group(1), match.group(2)


@pytest.fixture(scope="module")
def fuzz() -> fh.FuzzResult:
    """对全部公开函数跑一遍（已知不合格的参数只跑到第一个不合格的输入为止）。"""
    return fh.run_fuzz(expected={_parse(e) for e in KNOWN_OFFENDERS})


@posix_only
def test_every_public_callable_is_fuzzed(fuzz: fh.FuzzResult) -> None:
    slow = [f"{p.target.full}: {p.error}" for p in fuzz.slow_plans()]
    assert not slow, "找合法调用超时（不论是否在 KNOWN_UNTESTED 里都算错：结果不能取决于机器负载）：\n" + "\n".join(slow)
    failed = {p.target.full: p.error for p in fuzz.failed_plans()}
    new = [f"{name}: {error}" for name, error in failed.items() if name not in KNOWN_UNTESTED]
    assert not new, "找不到合法调用，无法测试（在 VALID_BY_NAME 里按参数名补一个候选值）：\n" + "\n".join(new)
    now_testable = sorted(KNOWN_UNTESTED - set(failed))
    assert not now_testable, f"这些已经能测了，从 KNOWN_UNTESTED 删掉：{now_testable}"
    assert fuzz.outcomes, fh.summary(fuzz)


@posix_only
def test_bad_input_gets_a_clear_error(fuzz: fh.FuzzResult) -> None:
    offenders = fuzz.offenders()
    known = {_parse(e) for e in KNOWN_OFFENDERS}
    new = {k: v for k, v in offenders.items() if k not in known}
    assert not new, (
        f"{fh.summary(fuzz)}\n坏输入没有得到写明参数名的 TypeError/ValueError"
        f"（{len(new)} 个参数；输入 → 结果）：\n{fh.offender_table(new)}"
    )


@posix_only
def test_known_offenders_still_offend(fuzz: fh.FuzzResult) -> None:
    keys = fh.short_names(fuzz.targets)
    params = {(keys[p.target], c.param) for p in fuzz.plans if p.ok for c in p.cases}
    offenders = set(fuzz.offenders(keys))
    gone = sorted(f"{k}({p})" for k, p in map(_parse, KNOWN_OFFENDERS) if (k, p) not in params)
    fixed = sorted(
        f"{k}({p})"
        for k, p in map(_parse, KNOWN_OFFENDERS)
        if (k, p) in params and (k, p) not in offenders and (k, p) not in fuzz.not_run  # not_run：本机测不了，不算修好
    )
    assert not gone, f"KNOWN_OFFENDERS 里这些函数或参数已经不存在（改名了？）：{gone}"
    assert not fixed, f"这些参数已经合格，从 KNOWN_OFFENDERS 删掉：{fixed}"


def test_every_seed_accepts_none() -> None:
    """全包一条规则：``seed=None`` 表示不重新设种子（见 ``dlguide._checks.check_seed``），注解要写明它可以是 None。"""
    import inspect  # noqa: PLC0415  追加的测试，导入放在这里便于合并

    targets, _ = fh.discover()
    wrong = []
    for target in targets:
        obj = target.resolve()
        try:
            params = inspect.signature(obj).parameters
        except (TypeError, ValueError):
            continue
        for name, param in params.items():
            if (name == "seed" or name.endswith("_seed")) and not fh._fits(None, fh._annotation_text(param.annotation)):
                wrong.append(f"{target.full}({name}: {fh._annotation_text(param.annotation)})")
    assert not wrong, "这些 seed 参数的注解不允许 None（写成 int | None，并用 check_seed 检查）：\n" + "\n".join(wrong)


def test_discovery_reaches_every_module_file() -> None:
    """``dlguide`` 下的每个 .py 都被 walk_packages 找到（缺 ``__init__.py`` 的目录会被跳过）。"""
    root = Path(dlguide.__file__).parent
    on_disk = {
        ".".join(("dlguide", *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for p in root.rglob("*.py")
        if "__pycache__" not in p.parts
    }
    walked = {module.__name__ for module in fh.walk()}
    missing = sorted(on_disk - walked)
    assert not missing, f"这些模块没有被枚举到（所在目录缺 __init__.py？）：{missing}"


def test_discovery_needs_no_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """新章节的模块（任意深度）一出现就被覆盖：函数、类及其方法；重复导出只算一次；结果记录类型跳过。"""
    package = tmp_path / "newbook"
    page = package / "pages" / "chapter"
    page.mkdir(parents=True)
    for directory in (package, package / "pages", page):
        (directory / "__init__.py").write_text("")
    (page / "topic.py").write_text(
        "from typing import NamedTuple\n"
        "__all__ = ['f', 'Model', 'Result', 'CONSTANT']\n"
        "CONSTANT = 3\n"
        "def f(x: int) -> int:\n    return x\n"
        "class Model:\n"
        "    def __init__(self, width: int) -> None:\n        self.width = width\n"
        "    def forward(self, x: float) -> float:\n        return x\n"
        "    def reset(self) -> None:\n        pass\n"
        "class Result(NamedTuple):\n    value: float\n"
    )
    (package / "__init__.py").write_text("from newbook.pages.chapter.topic import f\n__all__ = ['f']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    targets, records = fh.discover("newbook")
    assert [t.full for t in targets] == [
        "newbook.pages.chapter.topic.Model",
        "newbook.pages.chapter.topic.Model.forward",
        "newbook.pages.chapter.topic.f",
    ]
    assert [t.full for t in records] == ["newbook.pages.chapter.topic.Result"]
    for name in [m for m in sys.modules if m == "newbook" or m.startswith("newbook.")]:
        monkeypatch.delitem(sys.modules, name)


# ---- 测试这套机制本身：它必须能失败 -------------------------------------------------------------


def dummy_unchecked(values: Sequence[float], scale: float = 1.0, mode: str = "mean") -> float:
    """故意不检查任何参数的函数。"""
    total = sum(values) * scale
    if mode == "sum":
        return total
    return total / len(values)


def dummy_resources(n: int = 3, width: int = 2) -> int:
    """检查了类型和下界、却没有上界的尺寸参数。"""
    check_int(n, "n", low=0)
    check_int(width, "width", low=1)
    count = 0
    for _ in range(n):
        count += 1
    return count + torch.zeros(width, width).numel()


def dummy_crash(flag: int = 1) -> int:
    """flag=0 时让进程直接退出（模拟解释器崩溃）。"""
    if flag == 0:
        os._exit(3)
    return check_int(flag, "flag", low=0, high=10)


def dummy_slow(n: int = 3) -> int:
    """合法调用本身就很慢（这里：永远算下去）：计划超时必须报错，而不是悄悄地算作“测不了”。"""
    check_int(n, "n", low=1, high=10)
    while True:
        n = (n * 7 + 1) % 11


def _oom_marker(parent: int) -> Path:
    return Path(tempfile.gettempdir()) / f"dlguide-fuzz-oom-once-{parent}"


def dummy_oom_once(n: int = 3) -> int:
    """第一次调用（在任何工作进程里）像 oneDNN 在内存上限下那样失败；计划要在新工作进程里重做，而不是记成“测不了”。"""
    marker = _oom_marker(os.getppid())
    if not marker.exists():
        marker.touch()
        raise RuntimeError("could not execute a primitive")
    return check_int(n, "n", low=1, high=10)


def dummy_documented(values: Sequence[int]) -> int:
    """参数名和注解都推不出合法值：靠 docstring 示例里的那次调用。

    Examples
    --------
    >>> dummy_documented([3, 1, 2])
    2
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) != 3:
        raise TypeError(f"values 必须是 3 个整数组成的序列，收到 {values!r}")
    for v in values:
        check_int(v, "values 的元素", low=1, high=3)
    return sorted(values)[1]


class DummyModule(torch.nn.Module):
    """``forward`` 只接受 ``(B, T, width)``：候选值里没有这样的张量，合法调用取自这里的示例（实例也是示例里的）。

    Examples
    --------
    >>> tuple(DummyModule(5)(torch.ones(2, 3, 5)).shape)
    (2, 3)
    """

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = check_int(width, "width", low=1, high=100)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor) or x.ndim != 3 or x.shape[-1] != self.width:
            raise TypeError(f"x 必须是 (B, T, {self.width}) 的张量")
        return x.sum(-1)


def dummy_shared(first: object, same: object) -> int:
    """两个参数必须是同一个对象（如模型和管理它参数的优化器）：示例里的调用要整体复制才能重放。

    Examples
    --------
    >>> box = [1]
    >>> dummy_shared(box, box)
    1
    """
    if first is not same:
        raise ValueError("same 必须就是 first 这个对象")
    return len(first)  # type: ignore[arg-type]


def dummy_checked(values: Sequence[float], scale: float = 1.0, mode: str = "mean", n: int = 3) -> float:
    """每个参数都检查过的函数：任何坏输入都得到写明参数名的错误。"""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"values 必须是实数序列，收到的是 {type(values).__name__}")
    if not values:
        raise ValueError("values 不能为空")
    for v in values:
        check_in_range(v, "values 的元素", -1e9, 1e9)
    scale = check_in_range(scale, "scale", 0, 10, low_open=True)
    check_choice(mode, "mode", ("mean", "sum"))
    check_int(n, "n", low=1, high=1000)
    total = sum(values) * scale * n
    return total if mode == "sum" else total / len(values)


@pytest.fixture(scope="module")
def dummies() -> fh.FuzzResult:
    names = [
        "dummy_unchecked", "dummy_resources", "dummy_crash", "dummy_checked", "dummy_slow", "dummy_documented",
        "DummyModule.forward", "dummy_shared", "dummy_oom_once",
    ]
    _oom_marker(os.getpid()).unlink(missing_ok=True)
    try:
        return fh.run_fuzz([fh.Target(__name__, name) for name in names], confirm_hangs=False, plan_cpu_limit=1.0)
    finally:
        _oom_marker(os.getpid()).unlink(missing_ok=True)


def _outcomes(result: fh.FuzzResult, name: str) -> dict[tuple[str, str], str]:
    return {(o.param, o.label): o.outcome for o in result.outcomes if o.target.qualname == name}


@posix_only
def test_harness_flags_unchecked_input(dummies: fh.FuzzResult) -> None:
    seen = _outcomes(dummies, "dummy_unchecked")
    assert seen[("values", "None")] == "unclear", seen  # TypeError: 'NoneType' object is not iterable
    assert seen[("values", "empty")] == "wrong-type", seen  # ZeroDivisionError
    assert seen[("mode", "'__bogus__'")] == "silent", seen  # 认不出的选项被当成 "mean"
    assert seen[("scale", "nan")] == "garbage", seen
    assert seen[("scale", "-1.0")] == "accepted", seen  # 没有文档写明范围：不算错
    assert ("dummy_unchecked", "values") in dummies.offenders()


@posix_only
def test_harness_flags_hangs_memory_and_crashes(dummies: fh.FuzzResult) -> None:
    resources = _outcomes(dummies, "dummy_resources")
    assert resources[("n", "10**9")] == "hang", resources
    assert resources[("width", "10**9")] == "memory", resources
    assert resources[("n", "-1")] == "clear", resources
    crash = _outcomes(dummies, "dummy_crash")
    assert crash[("flag", "0")] == "crash", crash
    assert crash[("flag", "10**9")] == "clear", crash  # 每次崩溃后换一个新的工作进程，后面的输入照常运行


@posix_only
def test_harness_passes_a_function_that_checks_everything(dummies: fh.FuzzResult) -> None:
    seen = _outcomes(dummies, "dummy_checked")
    assert set(seen.values()) <= {"clear", "accepted"}, fh.offender_table(dummies.offenders())
    assert list(seen.values()).count("clear") >= 15, seen
    assert not [k for k in dummies.offenders() if k[0] == "dummy_checked"]


@posix_only
def test_harness_reports_a_slow_valid_call_as_an_error(dummies: fh.FuzzResult) -> None:
    """计划按 CPU 时间限时；超时的计划是错误（slow_plans），不会混进“找不到合法调用”（failed_plans）。"""
    slow = {p.target.qualname: p for p in dummies.slow_plans()}
    assert set(slow) == {"dummy_slow"}, [p.error for p in dummies.plans if not p.ok]
    assert "valid call too slow" in slow["dummy_slow"].error
    assert not dummies.failed_plans(), [p.error for p in dummies.failed_plans()]


@posix_only
def test_harness_takes_a_valid_call_from_the_docstring_example(dummies: fh.FuzzResult) -> None:
    seen = _outcomes(dummies, "dummy_documented")
    assert seen[("values", "None")] == "clear", seen
    assert seen[("values", "first element None")] == "clear", seen
    assert seen[("values", "element 10**9")] == "clear", seen
    forward = _outcomes(dummies, "DummyModule.forward")  # 示例里的实例 DummyModule(5) 和输入 (2, 3, 5)
    assert forward[("x", "None")] == "clear", forward
    assert forward[("x", "one column fewer")] == "clear", forward
    plans = {p.target.qualname: p for p in dummies.plans}
    assert plans["DummyModule.forward"].source == "example"
    assert plans["dummy_shared"].ok and plans["dummy_shared"].source == "example", plans["dummy_shared"].error
    assert plans["dummy_checked"].source == "candidates"


@posix_only
def test_harness_redoes_a_plan_that_ran_out_of_memory(dummies: fh.FuzzResult) -> None:
    """找合法调用时的内存错误取决于工作进程先前跑过什么：计划在新进程里重做，结果与机器状态无关。"""
    plans = {p.target.qualname: p for p in dummies.plans}
    assert plans["dummy_oom_once"].ok, plans["dummy_oom_once"].error
    assert _outcomes(dummies, "dummy_oom_once")[("n", "None")] == "clear"
