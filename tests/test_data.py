"""dlguide.data：docs/activations/regularization.md）。；docs/optimization/ml-strategy.md）。；各章共用的 data / models / training / gradients。"""

from __future__ import annotations

import pytest
import torch

from dlguide.data import (
    AugmentedImages,
    load_digits,
    make_adding_problem,
    make_digit_canvases,
    make_gaussian_mixture,
    make_moons,
    make_sine,
    make_xor,
    polynomial_features,
    shift_digits,
    train_val_split,
)


def test_polynomial_features() -> None:
    P = polynomial_features(torch.tensor([0.5, -2.0], dtype=torch.float64), 4)
    assert P.tolist() == [[0.5, 0.25, 0.125, 0.0625], [-2.0, 4.0, -8.0, 16.0]]


def test_make_sine_is_deterministic_and_checked() -> None:

    x1, y1 = make_sine(10, seed=3)
    x2, y2 = make_sine(10, seed=3)
    assert torch.equal(x1, x2) and torch.equal(y1, y2) and bool((x1.abs() <= 1).all())
    with pytest.raises(ValueError, match="noise 必须在"):
        make_sine(10, noise=2.0)
    with pytest.raises(TypeError, match="n 必须是整数"):
        make_sine(2.5)


def test_xor_is_balanced_and_deterministic() -> None:
    X1, y1 = make_xor(400, seed=3)
    X2, y2 = make_xor(400, seed=3)
    assert torch.equal(X1, X2) and torch.equal(y1, y2)
    assert y1.sum().item() == 200
    # 标签由角决定：同号为 0，异号为 1
    assert torch.equal(y1, (torch.sign(X1.round()).prod(1) < 0).long())


def test_moons_and_digits_shapes() -> None:
    X, y = make_moons(50)
    assert X.shape == (50, 2) and set(y.tolist()) == {0, 1}
    X, y = load_digits(standardize=False)
    assert X.shape == (1797, 64) and X.max().item() == 16.0


def test_shift_digits_keeps_range_and_moves_mass() -> None:
    X = torch.rand(5, 64, generator=torch.Generator().manual_seed(0))
    S = shift_digits(X, pixels=2, noise=0.0)
    assert torch.equal(S.reshape(5, 8, 8)[:, 2:, 2:], X.reshape(5, 8, 8)[:, :6, :6])
    assert S.reshape(5, 8, 8)[:, :2, :].abs().sum() == 0
    assert 0 <= shift_digits(X, noise=1.0).min() and shift_digits(X, noise=1.0).max() <= 1


# ---------------------------------------------------------------------------
# 序列任务（docs/sequence）
# ---------------------------------------------------------------------------

_CN_VALUE = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _parse_chinese_number(text: str) -> int:
    """独立于 dlguide 的解析：五 → 5，十 → 10，十二 → 12，二十五 → 25。"""
    if "十" not in text:
        return _CN_VALUE[text]
    tens, _, ones = text.partition("十")
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[ones] if ones else 0)


def _parse_date(text: str) -> str:
    year, rest = text.split("年")
    month, rest = rest.split("月")
    day = rest.rstrip("日")
    if year.isdigit():
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    y = int("".join(str(_CN_VALUE[ch]) for ch in year))
    return f"{y:04d}-{_parse_chinese_number(month):02d}-{_parse_chinese_number(day):02d}"


def test_dates_are_valid_and_the_targets_are_their_iso_form() -> None:
    import datetime  # noqa: PLC0415  只有这个测试需要

    from dlguide.data import DATE_SOURCE_VOCAB, DATE_TARGET_VOCAB, decode_tokens, make_dates  # noqa: PLC0415

    src, tgt = make_dates(2000, seed=3)
    styles = {"arabic": 0, "chinese": 0, "chinese_ling": 0}
    for s, t in zip(src, tgt):
        text, iso = decode_tokens(s, DATE_SOURCE_VOCAB), decode_tokens(t, DATE_TARGET_VOCAB)
        assert _parse_date(text) == iso
        assert 1950 <= datetime.date.fromisoformat(iso).year <= 2049
        styles["arabic" if text[0].isdigit() else ("chinese_ling" if "零" in text else "chinese")] += 1
    assert min(styles.values()) > 300  # 三种写法都常见（“零”只在年份含 0 时看得出来，所以它数得偏少）
    assert tgt[:, -1].tolist() == [2] * 2000  # 每个目标以 EOS 结尾
    assert torch.equal(make_dates(5, seed=1)[0], make_dates(5, seed=1)[0])


@pytest.mark.parametrize("task", ["reverse", "sort", "copy"])
def test_digit_tasks(task: str) -> None:
    from dlguide.data import DIGIT_VOCAB, EOS, PAD, decode_tokens, make_digit_task  # noqa: PLC0415

    src, tgt = make_digit_task(task, 300, min_len=2, max_len=9, seed=0)
    assert src.shape == (300, 9) and tgt.shape == (300, 10)
    lengths = (src != PAD).sum(1)
    assert lengths.min().item() == 2 and lengths.max().item() == 9
    for s, t, n in zip(src, tgt, lengths.tolist()):
        assert bool((s[n:] == PAD).all()) and t[n].item() == EOS
        x, y = decode_tokens(s, DIGIT_VOCAB), decode_tokens(t, DIGIT_VOCAB)
        assert y == {"reverse": x[::-1], "sort": "".join(sorted(x)), "copy": x}[task]


def test_teacher_forcing_pairs_shift_the_target() -> None:
    from dlguide.data import BOS, PAD, make_digit_task, teacher_forcing_pairs  # noqa: PLC0415

    src, tgt = make_digit_task("reverse", 20, min_len=3, max_len=6, seed=1)
    pair, target = teacher_forcing_pairs(src, tgt)
    assert pair.shape == (20, 2, 7) and target.shape == (20, 7)
    assert torch.equal(pair[:, 0, :6], src) and bool((pair[:, 0, 6] == PAD).all())
    assert bool((pair[:, 1, 0] == BOS).all()) and torch.equal(pair[:, 1, 1:], tgt[:, :-1])
    assert torch.equal(target, tgt)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda d: d.make_digit_task("shuffle"), ValueError, "task 必须是"),
        (lambda d: d.make_digit_task("reverse", 10**9), ValueError, "n 必须在"),
        (lambda d: d.make_digit_task("reverse", 5, min_len=5, max_len=3), ValueError, "max_len 必须在"),
        (lambda d: d.make_dates(0), ValueError, "n 必须在"),
        (lambda d: d.make_dates(5, seed=-1), ValueError, "seed 必须在"),
        (lambda d: d.format_date("2019-01-01"), TypeError, "date 必须是 datetime.date"),
        (lambda d: d.encode_tokens("2019x", d.DIGIT_VOCAB), ValueError, "词表之外的字符"),
        (lambda d: d.encode_tokens(2019, d.DIGIT_VOCAB), TypeError, "text 必须是字符串"),
        (lambda d: d.decode_tokens([1, 99], d.DIGIT_VOCAB), ValueError, "ids 里的编号必须在"),
        (lambda d: d.decode_tokens("12", d.DIGIT_VOCAB), TypeError, "ids 必须是整数列表"),
        (lambda d: d.teacher_forcing_pairs(torch.zeros(2, 3), torch.zeros(2, 3, dtype=torch.long)), TypeError, "src 必须是整数张量"),
        (lambda d: d.teacher_forcing_pairs(torch.zeros(2, 3, dtype=torch.long), torch.zeros(3, 3, dtype=torch.long)), ValueError, "样本数"),
    ],
)
def test_sequence_data_errors(call, error, message) -> None:
    import dlguide.data as d  # noqa: PLC0415

    with pytest.raises(error, match=message):
        call(d)


@pytest.mark.parametrize("markers", [1, 2])
def test_adding_problem_markers_targets_and_determinism(markers: int) -> None:
    X, y = make_adding_problem(500, 12, markers=markers, seed=4)
    X2, y2 = make_adding_problem(500, 12, markers=markers, seed=4)
    assert torch.equal(X, X2) and torch.equal(y, y2)
    assert X.shape == (500, 12, 2) and y.shape == (500, 1) and X.dtype == torch.float32
    marks = X[..., 1]
    assert marks.sum(dim=1).tolist() == [float(markers)] * 500
    assert bool((marks[:, :6].sum(dim=1) == 1).all())  # 第一个标记总在前半段
    if markers == 2:
        assert bool((marks[:, 6:].sum(dim=1) == 1).all())  # 第二个在后半段
    assert bool(((X[..., 0] >= -1) & (X[..., 0] <= 1)).all())
    torch.testing.assert_close(y, (X[..., 0] * marks).sum(dim=1, keepdim=True))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, "n 必须在"),
        ({"n": 10**9}, ValueError, "n 必须在"),
        ({"length": 1}, ValueError, "length 必须在"),
        ({"markers": 3}, ValueError, "markers 必须在"),
        ({"length": 2.5}, TypeError, "length 必须是整数"),
        ({"seed": -1}, ValueError, "seed 必须在"),
    ],
)
def test_adding_problem_errors(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        make_adding_problem(**kwargs)


def test_digit_canvases_boxes_cover_ink_and_split_is_disjoint() -> None:
    images, boxes, labels = make_digit_canvases(40, size=24, max_digits=2, digit_sizes=(8, 8), seed=3)
    assert images.shape == (40, 1, 24, 24) and 0.0 <= images.min() and images.max() <= 1.0
    for img, b, lab in zip(images, boxes, labels):
        assert len(b) == len(lab) >= 1
        ink = torch.zeros(24, 24, dtype=torch.bool)
        for x1, y1, x2, y2 in b.int().tolist():
            assert 0 <= x1 < x2 <= 24 and 0 <= y1 < y2 <= 24
            ink[y1:y2, x1:x2] = True
        # 每个 > 0.3 的像素都在某个框里
        assert not bool(((img[0] > 0.3) & ~ink).any())
        centres = (b[:, :2] + b[:, 2:]) / 2
        if len(b) == 2:
            assert (centres[0] - centres[1]).abs().max() >= 8
    _, _, test_labels = make_digit_canvases(10, split="test", classes=(7, 3), seed=0)
    assert set(torch.cat(test_labels).tolist()) <= {0, 1}
    again = make_digit_canvases(40, size=24, max_digits=2, digit_sizes=(8, 8), seed=3)
    assert torch.equal(again[0], images)


def test_digit_canvases_reject_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n 必须在"):
        make_digit_canvases(10**9)
    with pytest.raises(ValueError, match="split 必须是"):
        make_digit_canvases(2, split="val")
    with pytest.raises(ValueError, match="digit_sizes\\[1\\]"):
        make_digit_canvases(2, digit_sizes=(12, 10))
    with pytest.raises(TypeError, match="classes"):
        make_digit_canvases(2, classes=(1, 1))
    with pytest.raises(ValueError, match="classes 的元素"):
        make_digit_canvases(2, classes=(1, 12))


def test_gaussian_mixture_centres_and_spread() -> None:
    X, y = make_gaussian_mixture(16_000, modes=8, radius=2.0, std=0.05, seed=0)
    angle = 2 * torch.pi * torch.arange(8) / 8
    centres = 2.0 * torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
    for k in range(8):
        pts = X[y == k]
        assert (pts.mean(dim=0) - centres[k]).abs().max() < 0.01
        assert pts.std(dim=0).sub(0.05).abs().max() < 0.005
    with pytest.raises(ValueError, match="std"):
        make_gaussian_mixture(10, std=0.0)
    with pytest.raises(ValueError, match="modes"):
        make_gaussian_mixture(10, modes=0)


SEEDED = {
    "make_xor": lambda seed: make_xor(8, seed=seed)[0],
    "make_moons": lambda seed: make_moons(8, seed=seed)[0],
    "make_sine": lambda seed: make_sine(8, seed=seed)[0],
    "shift_digits": lambda seed: shift_digits(torch.zeros(2, 64) + 0.5, seed=seed),
    "train_val_split": lambda seed: train_val_split(torch.arange(8.0), torch.arange(8), seed=seed)[1],
    "AugmentedImages": lambda seed: AugmentedImages(4, seed=seed).images,
}


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_seed_is_checked_and_none_uses_the_global_state(name: str) -> None:
    make = SEEDED[name]
    for bad, error in ((-1, ValueError), (2**64, ValueError), (1.5, TypeError), ("0", TypeError), (True, TypeError)):
        with pytest.raises(error, match="seed 必须"):
            make(bad)
    assert torch.equal(make(2**63 - 1), make(2**63 - 1))  # 整个 manual_seed 的范围都可以用
    torch.manual_seed(7)
    first = make(None)
    torch.manual_seed(7)
    assert torch.equal(first, make(None))  # None：不重新设种子，跟着全局随机状态走


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_xor(10**9), ValueError, r"n 必须在 \[4, 10000000\] 内"),
        (lambda: make_moons(10**9), ValueError, r"n 必须在 \[2, 10000000\] 内"),
        (lambda: make_sine(10**9), ValueError, r"n 必须在 \[1, 10000000\] 内"),
        (lambda: AugmentedImages(10**9), ValueError, r"n 必须在 \[1, 100000\] 内"),
        (lambda: AugmentedImages(0), ValueError, r"n 必须在 \[1, 100000\] 内"),
        (lambda: load_digits("no"), TypeError, "standardize 必须是 True 或 False"),
        (lambda: shift_digits([[0.0] * 64]), TypeError, "X 必须是 torch.Tensor"),
        (lambda: shift_digits(torch.zeros(1, 64), noise=float("inf")), ValueError, r"noise 必须在 \[0, inf\) 内"),
        (lambda: train_val_split(None, torch.zeros(3)), TypeError, "X 必须是 torch.Tensor"),
        (lambda: train_val_split(torch.zeros(3), torch.tensor(1)), ValueError, "y 必须至少是 1 维"),
        (lambda: train_val_split(torch.zeros(1), torch.zeros(1)), ValueError, "至少要有 2 个样本"),
        (lambda: train_val_split(torch.zeros(2), torch.zeros(2), 0.9), ValueError, "训练集为空"),
    ],
)
def test_data_refuses_bad_input(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_token_errors_name_vocab() -> None:
    """词表为空或不含某个字时，错误也写明 vocab（错的可能是词表）。"""
    from dlguide.data import decode_tokens, encode_tokens  # noqa: PLC0415

    with pytest.raises(ValueError, match="vocab"):
        encode_tokens("12", ())
    with pytest.raises(ValueError, match="vocab"):
        decode_tokens([5], ())
