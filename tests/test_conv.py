"""dlguide.conv：按定义实现的卷积、填充、im2col、输出尺寸与感受野，逐一与 PyTorch 内置实现对照。

随机扫描几百种配置（固定种子，hypothesis 没有安装）：每种配置都要与 ``torch.nn.functional`` 的结果一致。
"""

from __future__ import annotations

import random

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlguide.conv import (
    MAX_ELEMENTS,
    PADDING_MODES,
    conv_matrix,
    conv_nd,
    conv_output_size,
    conv_transpose_nd,
    conv_transpose_output_size,
    im2col,
    input_gradient,
    pad,
    receptive_field,
    receptive_field_sizes,
    same_padding,
    zero_insert,
)

TORCH_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
TORCH_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "replicate", "circular": "circular"}


def _random_conv_config(rng: random.Random) -> dict:
    """一种随机但合法的卷积配置（小尺寸，整个扫描几秒内跑完）。"""
    nd = rng.choice([1, 2, 2, 2, 3])
    groups = rng.choice([1, 1, 2, 3])
    c_in = groups * rng.randint(1, 3)
    c_out = groups * rng.randint(1, 3)
    kernel = [rng.randint(1, 4) for _ in range(nd)]
    stride = [rng.randint(1, 3) for _ in range(nd)]
    dilation = [rng.randint(1, 3) for _ in range(nd)]
    padding = [rng.randint(0, 3) for _ in range(nd)]
    size_cap = 9 if nd < 3 else 6
    sizes = []
    for k, d, p in zip(kernel, dilation, padding):
        span = d * (k - 1) + 1
        sizes.append(rng.randint(max(1, span - 2 * p), max(span - 2 * p, 1) + size_cap))
    return {
        "nd": nd, "groups": groups, "c_in": c_in, "c_out": c_out, "kernel": kernel, "stride": stride,
        "dilation": dilation, "padding": padding, "sizes": sizes, "batch": rng.randint(1, 2),
        "bias": rng.random() < 0.7, "mode": rng.choice(PADDING_MODES),
    }


def test_conv_nd_matches_torch_over_random_configurations() -> None:
    rng = random.Random(0)
    g = torch.Generator().manual_seed(0)
    checked = 0
    for _ in range(300):
        cfg = _random_conv_config(rng)
        nd = cfg["nd"]
        x = torch.randn(cfg["batch"], cfg["c_in"], *cfg["sizes"], generator=g, dtype=torch.float64)
        w = torch.randn(cfg["c_out"], cfg["c_in"] // cfg["groups"], *cfg["kernel"], generator=g, dtype=torch.float64)
        b = torch.randn(cfg["c_out"], generator=g, dtype=torch.float64) if cfg["bias"] else None
        mode = cfg["mode"]
        if mode == "reflect" and any(p >= n for p, n in zip(cfg["padding"], cfg["sizes"])):
            mode = "zeros"
        if mode == "circular" and any(p > n for p, n in zip(cfg["padding"], cfg["sizes"])):
            mode = "zeros"
        ours = conv_nd(x, w, b, cfg["stride"], cfg["padding"], cfg["dilation"], cfg["groups"], mode)
        # 参考：PyTorch 先按 mode 填充，再做不填充的卷积（与 nn.ConvNd(padding_mode=...) 的做法相同）
        pads = [p for pair in reversed(cfg["padding"]) for p in (pair, pair)]
        xp = F.pad(x, pads, mode=TORCH_MODE[mode])
        ref = TORCH_CONV[nd](xp, w, b, stride=cfg["stride"], dilation=cfg["dilation"], groups=cfg["groups"])
        assert ours.shape == ref.shape, cfg
        torch.testing.assert_close(ours, ref, msg=str(cfg))
        # 输出尺寸公式逐维与 PyTorch 的输出形状相同
        expected = [conv_output_size(n, k, s, p, d) for n, k, s, p, d in
                    zip(cfg["sizes"], cfg["kernel"], cfg["stride"], cfg["padding"], cfg["dilation"])]
        assert list(ref.shape[2:]) == expected, cfg
        checked += 1
    assert checked == 300


def test_conv_nd_matches_nn_conv_modules_with_padding_mode() -> None:
    g = torch.Generator().manual_seed(1)
    for mode in PADDING_MODES:
        torch.manual_seed(0)
        layer = nn.Conv2d(4, 6, 3, stride=2, padding=2, dilation=1, groups=2, padding_mode=mode)
        x = torch.randn(2, 4, 7, 8, generator=g)
        torch.testing.assert_close(conv_nd(x, layer.weight, layer.bias, 2, 2, 1, 2, mode), layer(x))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_same_padding_matches_torch_same_including_even_kernels() -> None:
    g = torch.Generator().manual_seed(2)
    for k in (1, 2, 3, 4, 5):
        for d in (1, 2, 3):
            x = torch.randn(1, 2, 9, 10, generator=g, dtype=torch.float64)
            w = torch.randn(3, 2, k, k, generator=g, dtype=torch.float64)
            ref = F.conv2d(x, w, padding="same", dilation=d)
            torch.testing.assert_close(conv_nd(x, w, padding="same", dilation=d), ref)
            assert ref.shape[2:] == x.shape[2:]
            pairs = [same_padding(n, k, 1, d) for n in x.shape[2:]]
            torch.testing.assert_close(conv_nd(x, w, padding=pairs, dilation=d), ref)
    assert torch.equal(conv_nd(x, w, padding="valid"), F.conv2d(x, w, padding="valid"))


def test_same_padding_with_stride_gives_ceil_output() -> None:
    for n in range(1, 30):
        for k in range(1, 6):
            for s in range(1, 4):
                for d in (1, 2):
                    before, after = same_padding(n, k, s, d)
                    assert 0 <= after - before <= 1
                    if d * (k - 1) + 1 <= n + before + after:
                        assert conv_output_size(n, k, s, (before, after), d) == -(-n // s)


def test_im2col_matches_unfold() -> None:
    rng = random.Random(3)
    g = torch.Generator().manual_seed(3)
    for _ in range(60):
        k = (rng.randint(1, 4), rng.randint(1, 4))
        s = (rng.randint(1, 3), rng.randint(1, 3))
        d = (rng.randint(1, 2), rng.randint(1, 2))
        sizes = [d_ * (k_ - 1) + 1 + rng.randint(0, 6) for k_, d_ in zip(k, d)]
        x = torch.randn(2, 3, *sizes, generator=g)
        assert torch.equal(im2col(x, k, s, d), F.unfold(x, k, dilation=d, stride=s))


def test_pad_matches_torch_pad() -> None:
    rng = random.Random(4)
    g = torch.Generator().manual_seed(4)
    for _ in range(120):
        nd = rng.randint(1, 3)
        sizes = [rng.randint(1, 6) for _ in range(nd)]
        mode = rng.choice(PADDING_MODES)
        limit = {"reflect": lambda n: n - 1, "circular": lambda n: n}.get(mode, lambda n: 4)
        pairs = [(rng.randint(0, limit(n)), rng.randint(0, limit(n))) for n in sizes]
        x = torch.randn(1, 2, *sizes, generator=g)
        flat = [p for pair in reversed(pairs) for p in pair]
        assert torch.equal(pad(x, pairs, mode), F.pad(x, flat, mode=TORCH_MODE[mode])), (mode, pairs, sizes)


def test_zero_padding_does_not_spread_nan_from_the_border() -> None:
    x = torch.tensor([[[float("nan"), 1.0]]])
    assert pad(x, 1)[0, 0, 0].item() == 0.0


def test_output_size_for_pooling_with_ceil_mode_matches_torch() -> None:
    rng = random.Random(5)
    for _ in range(300):
        k = rng.randint(1, 5)
        s = rng.randint(1, 4)
        p = rng.randint(0, k // 2)
        d = rng.randint(1, 2)
        n = rng.randint(max(1, d * (k - 1) + 1 - 2 * p), 20)
        ceil = rng.random() < 0.5
        x = torch.zeros(1, 1, n)
        ref = F.max_pool1d(x, k, s, p, d, ceil_mode=ceil).shape[-1]
        assert conv_output_size(n, k, s, p, d, ceil_mode=ceil) == ref, (n, k, s, p, d, ceil)
        if not ceil and d == 1:
            assert F.avg_pool1d(x, k, s, p).shape[-1] == conv_output_size(n, k, s, p)


def test_transpose_output_size_and_conv_matrix_transpose_match_torch() -> None:
    rng = random.Random(6)
    g = torch.Generator().manual_seed(6)
    for _ in range(60):
        k, s, d = rng.randint(1, 4), rng.randint(1, 3), rng.randint(1, 2)
        p = rng.randint(0, d * (k - 1) // 2)
        n_in = rng.randint(max(1, d * (k - 1) + 1 - 2 * p), 8)
        w = torch.randn(2, 3, k, k, generator=g, dtype=torch.float64)
        x = torch.randn(1, 3, n_in, n_in, generator=g, dtype=torch.float64)
        M = conv_matrix(w, (3, n_in, n_in), s, p, d)
        y = F.conv2d(x, w, stride=s, padding=p, dilation=d)
        torch.testing.assert_close(M @ x.flatten(), y.flatten())
        # 转置卷积就是乘以 Mᵀ（output_padding 补齐 stride 造成的长度歧义）
        n_out = y.shape[-1]
        op = n_in - conv_transpose_output_size(n_out, k, s, p, 0, d)
        assert 0 <= op < max(s, d)
        z = F.conv_transpose2d(y, w, stride=s, padding=p, output_padding=op, dilation=d)
        assert z.shape[-1] == conv_transpose_output_size(n_out, k, s, p, op, d) == n_in
        torch.testing.assert_close(M.T @ y.flatten(), z.flatten())


def test_conv_matrix_is_sparse_with_shared_weights() -> None:
    w = torch.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    M = conv_matrix(w, (1, 6, 6))
    assert M.shape == (16, 36)
    assert int((M != 0).sum()) == 16 * 9
    assert sorted(set(M[M != 0].tolist())) == list(range(1, 10))


def test_receptive_field_measured_equals_formula_for_random_chains() -> None:
    rng = random.Random(7)
    for trial in range(12):
        torch.manual_seed(trial)
        layers, triples = [], []
        c = 1
        for _ in range(rng.randint(1, 4)):
            kind = rng.choice(["conv", "conv", "max", "avg"])
            k, s, d = rng.randint(1, 4), rng.randint(1, 2), rng.randint(1, 2)
            if kind == "conv":
                layers += [nn.Conv2d(c, 3, k, stride=s, dilation=d), nn.ReLU()]
                c = 3
            elif kind == "max":
                layers.append(nn.MaxPool2d(k, s, dilation=d))
            else:
                d = 1
                layers.append(nn.AvgPool2d(k, s))
            triples.append((k, s, d))
        net = nn.Sequential(*layers)
        r, j = receptive_field_sizes(triples)[-1]
        assert receptive_field_sizes(net)[-1] == (r, j)
        size = 2 * r + 4 * j + 1
        assert receptive_field(net, (1, size, size), samples=8) == (r, r), (triples, r)


def test_receptive_field_1d_and_3d() -> None:
    torch.manual_seed(0)
    net1 = nn.Sequential(nn.Conv1d(2, 2, 5, dilation=3), nn.Conv1d(2, 1, 3, stride=2), nn.Conv1d(1, 1, 3))
    assert receptive_field(net1, (2, 60)) == (receptive_field_sizes(net1)[-1][0],) == (19,)  # 1 + 3·4 + 2 + 2·2
    net3 = nn.Sequential(nn.Conv3d(1, 2, (3, 5, 1)), nn.Conv3d(2, 1, 3))
    assert receptive_field(net3, (1, 12, 12, 12)) == (5, 7, 3)


def test_input_gradient_restores_training_mode_and_uses_running_stats() -> None:
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2))
    net.train()
    grad = input_gradient(net, torch.randn(1, 1, 9, 9))
    assert net.training
    # eval() 下的 BatchNorm 是逐位置的仿射变换：感受野仍是 3×3，而不是整张图
    assert int((grad > 0).sum()) == 9


def test_bad_input_is_rejected_with_the_parameter_name() -> None:
    x, w = torch.zeros(1, 2, 5, 5), torch.zeros(3, 2, 3, 3)
    cases = [
        (lambda: conv_output_size(0, 3), ValueError, "n 必须"),
        (lambda: conv_output_size(5, 3, stride=0), ValueError, "stride 必须"),
        (lambda: conv_output_size(5, 3, padding=-1), ValueError, "padding 必须"),
        (lambda: conv_output_size(5, 3, padding=(1, 2, 3)), ValueError, "padding 必须"),
        (lambda: conv_output_size(5.0, 3), TypeError, "n 必须是整数"),
        (lambda: conv_output_size(5, 3, ceil_mode="yes"), TypeError, "ceil_mode"),
        (lambda: conv_output_size(2, 3, dilation=2), ValueError, "kernel_size 或 dilation 太大"),
        (lambda: conv_transpose_output_size(4, 3, stride=2, output_padding=2), ValueError, "output_padding"),
        (lambda: conv_transpose_output_size(1, 1, padding=1), ValueError, "padding 太大"),
        (lambda: same_padding(5, 0), ValueError, "kernel_size 必须"),
        (lambda: pad(x, 1, "mirror"), ValueError, "mode 必须是"),
        (lambda: pad(x, 5, "reflect"), ValueError, "padding 太大"),
        (lambda: pad(x, 6, "circular"), ValueError, "padding 太大"),
        (lambda: pad(x, 10**5), ValueError, "padding 太大"),
        (lambda: pad(x, 10**9), ValueError, "padding 必须"),
        (lambda: pad([[1.0]], 1), TypeError, "x 必须是 torch.Tensor"),
        (lambda: pad(torch.zeros(5, 5), 1), ValueError, "x 必须是 3 或 4 或 5 维"),
        (lambda: pad(torch.zeros(1, 1, 0), 1), ValueError, "x 不能是空张量"),
        (lambda: im2col(x, (3, 3, 3)), ValueError, "kernel_size 必须是一个整数或 2 个整数"),
        (lambda: im2col(x, 6), ValueError, "kernel_size 或 dilation 太大"),
        (lambda: conv_nd(x, w, stride=0), ValueError, "stride 必须"),
        (lambda: conv_nd(x, torch.zeros(3, 3, 3, 3)), ValueError, "groups 与通道数不符"),
        (lambda: conv_nd(x, w, groups=2), ValueError, "groups 与通道数不符"),
        (lambda: conv_nd(x, w, torch.zeros(2)), ValueError, "bias 必须"),
        (lambda: conv_nd(x, w, padding="full"), ValueError, "padding 必须是"),
        (lambda: conv_nd(x, w, padding="same", stride=2), ValueError, "padding='same' 只支持步幅 1"),
        (lambda: conv_nd(x, w.double()), ValueError, "weight 必须与 x 同 dtype"),
        (lambda: conv_nd(x, torch.zeros(3, 2, 3)), ValueError, "x 必须是 3 维张量"),
        (lambda: conv_nd(x, w, padding_mode="mirror"), ValueError, "padding_mode 必须是"),
        (lambda: conv_nd(x, w, dilation=10**9), ValueError, "dilation 必须"),
        (lambda: conv_nd(x, None), TypeError, "weight 必须是 torch.Tensor"),
        (lambda: conv_matrix(w, (2, 100, 100)), ValueError, "input_shape 太大"),
        (lambda: conv_matrix(w, (2, 5)), ValueError, "input_shape 必须有 3 个整数"),
        (lambda: conv_matrix(w, "2,5,5"), TypeError, "input_shape 必须是整数序列"),
        (lambda: receptive_field_sizes([(3, 0, 1)]), ValueError, "layers 的 stride 必须"),
        (lambda: receptive_field_sizes([(3, 1)]), ValueError, "layers 的每一项"),
        (lambda: receptive_field_sizes(nn.ReLU()), ValueError, "layers 里没有"),
        (lambda: receptive_field_sizes(None), TypeError, "layers 必须是"),
        (lambda: receptive_field(nn.Conv2d(1, 1, 3), (1, 9, 9), samples=0), ValueError, "samples 必须"),
        (lambda: receptive_field(nn.Conv2d(1, 1, 3), (1, 10**9, 10**9)), ValueError, "input_shape"),
        (lambda: receptive_field(nn.Conv2d(1, 1, 3), (1, 9, 9), seed=-1), ValueError, "seed 必须"),
        (lambda: receptive_field("net", (1, 9, 9)), TypeError, "model 必须是"),
        (lambda: input_gradient(nn.Conv2d(1, 1, 3), torch.zeros(2, 1, 5, 5)), ValueError, "批大小必须是 1"),
        (lambda: input_gradient(nn.Conv2d(1, 1, 3), torch.zeros(1, 1, 5, 5), (9, 9)), ValueError, "position 必须"),
        (lambda: input_gradient(nn.Flatten(), torch.zeros(1, 1, 5, 5)), ValueError, "model 的输出必须"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()


def test_limits_are_documented_constants() -> None:
    assert MAX_ELEMENTS == 2**27
    assert PADDING_MODES == ("zeros", "reflect", "replicate", "circular")


# ---- zero_insert / conv_transpose_nd（“综合问题”一章的上采样页面）----


def test_zero_insert_places_values_every_s() -> None:
    x = torch.randn(2, 3, 4, 5, generator=torch.Generator().manual_seed(0))
    z = zero_insert(x, (2, 3))
    assert z.shape == (2, 3, 7, 13)
    assert torch.equal(z[..., ::2, ::3], x)
    assert int((z != 0).sum()) == int((x != 0).sum())


def test_zero_inserted_kernel_equals_dilation() -> None:
    g = torch.Generator().manual_seed(1)
    x, w = torch.randn(1, 2, 15, 15, generator=g), torch.randn(3, 2, 3, 3, generator=g)
    for d in (1, 2, 4):
        assert torch.allclose(F.conv2d(x, zero_insert(w, d)), F.conv2d(x, w, dilation=d), atol=1e-5)


def test_conv_transpose_nd_matches_pytorch_on_random_configurations() -> None:
    rng = random.Random(0)
    g = torch.Generator().manual_seed(0)
    functions = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
    for _ in range(60):
        nd = rng.choice([1, 2, 2, 3])
        groups = rng.choice([1, 1, 2])
        c_in, c_out = groups * rng.randint(1, 3), groups * rng.randint(1, 3)
        k = tuple(rng.randint(1, 4) for _ in range(nd))
        s = tuple(rng.randint(1, 3) for _ in range(nd))
        d = tuple(rng.randint(1, 2) for _ in range(nd))
        p = tuple(rng.randint(0, 2) for _ in range(nd))
        op = tuple(rng.randint(0, max(si, di) - 1) for si, di in zip(s, d))
        size = tuple(rng.randint(2, 6) for _ in range(nd))
        out = [(n - 1) * si - 2 * pi + di * (ki - 1) + oi + 1 for n, si, pi, di, ki, oi in zip(size, s, p, d, k, op)]
        if min(out) < 1:
            continue
        x = torch.randn(2, c_in, *size, generator=g, dtype=torch.float64)
        w = torch.randn(c_in, c_out // groups, *k, generator=g, dtype=torch.float64)
        b = torch.randn(c_out, generator=g, dtype=torch.float64)
        ours = conv_transpose_nd(x, w, b, s, p, op, groups, d)
        theirs = functions[nd](x, w, b, s, p, op, groups, d)
        assert ours.shape == theirs.shape
        assert torch.allclose(ours, theirs, atol=1e-10)


def test_conv_transpose_nd_is_the_gradient_of_conv() -> None:
    g = torch.Generator().manual_seed(3)
    z = torch.randn(1, 2, 9, 9, generator=g, dtype=torch.float64, requires_grad=True)
    w = torch.randn(3, 2, 3, 3, generator=g, dtype=torch.float64)
    y = F.conv2d(z, w, stride=2, padding=1)
    v = torch.randn(y.shape, generator=g, dtype=torch.float64)
    (grad,) = torch.autograd.grad(y, z, v)
    assert torch.allclose(grad, conv_transpose_nd(v, w, stride=2, padding=1), atol=1e-10)


def test_conv_transpose_nd_rejects_bad_input() -> None:
    x, w = torch.zeros(1, 2, 4, 4), torch.zeros(2, 3, 3, 3)
    cases = [
        (lambda: zero_insert(None, 2), TypeError, "x"),
        (lambda: zero_insert(x, 0), ValueError, "factor"),
        (lambda: zero_insert(x, 10**9), ValueError, "factor"),
        (lambda: conv_transpose_nd(x, None), TypeError, "weight"),
        (lambda: conv_transpose_nd(x, torch.zeros(2, 3, 3)), ValueError, "x 必须是 3 维"),
        (lambda: conv_transpose_nd(x, w.double()), ValueError, "weight 必须与 x 同 dtype"),
        (lambda: conv_transpose_nd(x, torch.zeros(5, 3, 3, 3)), ValueError, "groups"),
        (lambda: conv_transpose_nd(x, w, groups=0), ValueError, "groups"),
        (lambda: conv_transpose_nd(x, w, stride=2, output_padding=2), ValueError, "output_padding"),
        (lambda: conv_transpose_nd(x, w, bias=torch.zeros(4)), ValueError, "bias"),
        (lambda: conv_transpose_nd(x, w, stride=-1), ValueError, "stride"),
        (lambda: conv_transpose_nd(x, w, padding="same"), TypeError, "padding"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
