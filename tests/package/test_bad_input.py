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
# 目前找不到合法调用、因而还没被测试的可调用对象（全名）。同样只能变短：给 VALID_BY_NAME 补候选值后删掉。
KNOWN_UNTESTED: frozenset[str] = frozenset({
    # “综合问题”一章：输入形状要与构造参数或 weight 配套，或数据必须线性可分，通用候选值给不出
    "dlguide.locally_connected.LocallyConnected2d.forward",
    "dlguide.locally_connected.locally_connected2d",
    "dlguide.pages.misc.dilated_convolution.CausalConv1d.forward",
    "dlguide.perceptron.mistake_bound",
    "dlguide.attention.AdditiveAttention.forward",
    "dlguide.attention.MultiHeadAttention.forward",
    "dlguide.attention.TransformerBlock.forward",
    "dlguide.attention.padding_mask",
    "dlguide.classic_nets.BasicBlock.forward",
    "dlguide.classic_nets.Bottleneck.forward",
    "dlguide.classic_nets.InceptionModule.forward",
    "dlguide.classic_nets.ResNet",
    "dlguide.classic_nets.ResNet.forward",
    "dlguide.crf.LinearChainCRF.decode",
    "dlguide.crf.LinearChainCRF.forward",
    "dlguide.crf.LinearChainCRF.log_partition",
    "dlguide.crf.LinearChainCRF.nll",
    "dlguide.crf.LinearChainCRF.score",
    "dlguide.crf.brute_force_decode",
    "dlguide.crf.brute_force_log_partition",
    "dlguide.ctc.ctc_greedy_decode",
    "dlguide.ctc.ctc_loss",
    "dlguide.data.decode_tokens",
    "dlguide.data.encode_tokens",
    "dlguide.data.format_date",
    "dlguide.data.teacher_forcing_pairs",
    "dlguide.decoding.beam_search",
    "dlguide.decoding.decode_batch",
    "dlguide.decoding.greedy_search",
    "dlguide.decoding.length_normalized_score",
    "dlguide.memory_task.gate_means_at_marker",
    "dlguide.memory_task.train_marked_recall",
    "dlguide.memory_task.trained_recall_net",
    "dlguide.metrics.accuracy_by_length",
    "dlguide.metrics.bleu",
    "dlguide.metrics.entity_precision_recall_f1",
    "dlguide.metrics.entity_spans",
    "dlguide.metrics.error_rate",
    "dlguide.models.BiLSTMTagger.decode",
    "dlguide.models.BiLSTMTagger.forward",
    "dlguide.models.BiLSTMTagger.loss",
    "dlguide.models.RecurrentNet.forward",
    "dlguide.models.Seq2Seq.attention_weights",
    "dlguide.models.Seq2Seq.encode",
    "dlguide.models.Seq2Seq.forward",
    "dlguide.models.Seq2Seq.sequence_log_prob",
    "dlguide.models.Seq2Seq.step",
    "dlguide.models.check_sequence_input",
    "dlguide.normalization.batch_norm",
    "dlguide.pages.applications.ner.char_index",
    "dlguide.pages.applications.ner.encode",
    "dlguide.pages.applications.ner.illegal_transitions",
    "dlguide.pages.applications.ner.predict",
    "dlguide.pages.applications.ner.to_bioes",
    "dlguide.pages.cnn.batch_norm.lr_sweep",
    "dlguide.pages.cnn.batch_norm.normalized_axes",
    "dlguide.pages.cnn.classic_networks.train_on_digits",
    "dlguide.pages.cnn.fully_connected.conv_to_linear",
    "dlguide.pages.cnn.fully_connected.linear_to_conv",
    "dlguide.pages.cnn.pooling.receptive_field",
    "dlguide.pages.cnn.pooling_invariance.sensitivity",
    "dlguide.pages.cnn.pooling_invariance.transform",
    "dlguide.pages.cnn.spp.train_multi_size",
    "dlguide.pages.rnn.gru_vs_lstm.parameter_count",
    "dlguide.pages.rnn.lstm_derivation.cell_path_gradient",
    "dlguide.pages.rnn.rnn.rnn_bptt",
    "dlguide.pages.rnn.sigmoid_tanh.SwappedLSTM.forward",
    "dlguide.pages.rnn.sigmoid_tanh.SwappedLSTM.states",
    "dlguide.pages.rnn.step_by_step.EncoderDecoder.forward",
    "dlguide.pages.rnn.step_by_step.OneToMany.forward",
    "dlguide.pages.sequence.attention.normalize_dates",
    "dlguide.pages.sequence.attention.reversal_accuracy",
    "dlguide.pages.sequence.seq2seq.spell",
    "dlguide.pages.sequence.speech_recognition.CTCConvNet.forward",
    "dlguide.pages.sequence.speech_recognition.ctc_objective",
    "dlguide.pages.sequence.speech_recognition.ctc_trellis",
    "dlguide.pages.sequence.speech_recognition.dtmf_clip",
    "dlguide.pages.sequence.speech_recognition.dtmf_features",
    "dlguide.pages.sequence.trigger_word.TriggerDetector.forward",
    "dlguide.pages.sequence.trigger_word.event_precision_recall",
    "dlguide.recurrent.gru_cell",
    "dlguide.recurrent.gru_gates",
    "dlguide.recurrent.lstm_cell",
    "dlguide.recurrent.run_recurrent",
    "dlguide.recurrent.trace_gates",
    "dlguide.tfidf.count_matrix",
    "dlguide.tfidf.tfidf",
    "dlguide.word2vec.CBOW.forward",
    "dlguide.word2vec.SkipGram.forward",
    "dlguide.word2vec.Vocabulary.encode",
    "dlguide.word2vec.analogy",
    "dlguide.word2vec.analogy_accuracy",
    "dlguide.word2vec.build_vocab",
    "dlguide.word2vec.cbow_training_set",
    "dlguide.word2vec.most_similar",
    "dlguide.word2vec.sgns_training_set",
    "dlguide.word2vec.skipgram_pairs",
    "dlguide.word2vec.subsample",
    "dlguide.word2vec.train_word2vec",
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
    names = ["dummy_unchecked", "dummy_resources", "dummy_crash", "dummy_checked"]
    return fh.run_fuzz([fh.Target(__name__, name) for name in names], confirm_hangs=False)


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
