"""dlguide._checks：错误信息写明参数名和区间。"""

import math

import numpy as np
import pytest
import torch

from dlguide._checks import (
    SEED_MAX,
    check_bool,
    check_callable,
    check_choice,
    check_finite,
    check_in_range,
    check_int,
    check_model_input,
    check_module,
    check_nonnegative,
    check_numbers,
    check_positive,
    check_same_length,
    check_seed,
    check_sizes,
    check_tensor,
)


def test_in_range_accepts_and_returns_float() -> None:
    assert check_in_range(1, "lr", 0, 10, low_open=True) == 1.0


@pytest.mark.parametrize(
    ("value", "message"),
    [(0.0, r"lr 必须在 \(0, 1\] 内，收到 0.0"), (1.5, r"lr 必须在 \(0, 1\] 内"), (float("nan"), "lr")],
)
def test_in_range_rejects(value: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_in_range(value, "lr", 0, 1, low_open=True)


@pytest.mark.parametrize("value", ["0.1", None, True])
def test_in_range_type(value: object) -> None:
    with pytest.raises(TypeError, match="lr 必须是实数"):
        check_in_range(value, "lr", 0, 1)  # type: ignore[arg-type]


def test_check_int_accepts_and_names_range() -> None:
    assert check_int(3, "n", low=1) == 3
    assert check_int(-5, "offset") == -5
    with pytest.raises(ValueError, match="n 必须 ≥ 1，收到 0"):
        check_int(0, "n", low=1)
    with pytest.raises(ValueError, match=r"pixels 必须在 \[0, 7\] 内，收到 8"):
        check_int(8, "pixels", low=0, high=7)
    with pytest.raises(ValueError, match="k 必须 ≤ 3"):
        check_int(4, "k", high=3)


@pytest.mark.parametrize("value", [2.0, "2", True, None])
def test_check_int_type(value: object) -> None:
    with pytest.raises(TypeError, match="n 必须是整数"):
        check_int(value, "n", low=1)


def test_check_positive_and_sizes() -> None:
    assert check_positive(2, "lr") == 2.0
    with pytest.raises(ValueError, match=r"lr 必须在 \(0, inf\) 内，收到 0.0"):
        check_positive(0.0, "lr")
    assert check_sizes((3, 4, 1)) == [3, 4, 1]
    for bad in ([2], [2, 0], [2, True], [2, 1.5]):
        with pytest.raises(ValueError, match="sizes 必须是至少 2 个正整数"):
            check_sizes(bad)


def test_check_module() -> None:
    lin = torch.nn.Linear(1, 1)
    assert check_module(lin, "model") is lin
    with pytest.raises(TypeError, match="model 必须是 torch.nn.Module，收到的是 str"):
        check_module("net", "model")
    with pytest.raises(TypeError, match="lstm 必须是 torch.nn.LSTM，收到的是 GRU"):
        check_module(torch.nn.GRU(1, 1), "lstm", torch.nn.LSTM)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), -1.0, 0])
def test_check_positive_rejects_inf_nan_and_nonpositive(value: float) -> None:
    with pytest.raises(ValueError, match=r"lr 必须在 \(0, inf\) 内"):
        check_positive(value, "lr")


def test_check_nonnegative_and_finite() -> None:
    assert check_nonnegative(0, "lam") == 0.0
    for bad in (-1e-9, math.inf, math.nan):
        with pytest.raises(ValueError, match=r"lam 必须在 \[0, inf\) 内"):
            check_nonnegative(bad, "lam")
    assert check_finite(-2, "value") == -2.0
    for bad in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValueError, match="value 必须是有限实数"):
            check_finite(bad, "value")
    with pytest.raises(TypeError, match="value 必须是实数，收到的是 NoneType"):
        check_finite(None, "value")


def test_real_checkers_accept_numpy_scalars() -> None:
    assert check_in_range(np.float32(0.5), "p", 0, 1) == 0.5
    assert check_int(np.int64(3), "n", low=1) == 3
    assert type(check_int(np.int64(3), "n")) is int
    assert check_seed(np.int64(7)) == 7


def test_check_int_upper_bound_for_sizes() -> None:
    with pytest.raises(ValueError, match=r"epochs 必须在 \[1, 100000\] 内，收到 1000000000"):
        check_int(10**9, "epochs", low=1, high=100_000)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (-1, ValueError, r"seed 必须在 \[0, 2\*\*63 - 1\] 内，收到 -1"),
        (2**63, ValueError, r"seed 必须在 \[0, 2\*\*63 - 1\] 内"),
        ("0", TypeError, "seed 必须是整数或 None，收到的是 str"),
        (1.0, TypeError, "seed 必须是整数或 None，收到的是 float"),
        (float("inf"), TypeError, "seed 必须是整数"),
        (True, TypeError, "seed 必须是整数或 None，收到的是 bool"),
    ],
)
def test_check_seed_rejects(value: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        check_seed(value)


def test_check_seed_accepts_full_generator_range() -> None:
    for seed in (0, 1, SEED_MAX):
        torch.Generator().manual_seed(check_seed(seed))
    assert check_seed(5, "data_seed") == 5
    with pytest.raises(ValueError, match="data_seed 必须在"):
        check_seed(-5, "data_seed")


def test_check_choice() -> None:
    assert check_choice("sgd", "optimizer", ("sgd", "adam")) == "sgd"
    assert check_choice("b", "mode", {"a": 1, "b": 2}) == "b"
    with pytest.raises(ValueError, match="^optimizer 必须是 'sgd'、'adam' 之一，收到 'SGD'$"):
        check_choice("SGD", "optimizer", ["sgd", "adam"])
    with pytest.raises(TypeError, match=r"optimizer 必须是字符串（'sgd'、'adam' 之一），收到的是 int"):
        check_choice(1, "optimizer", ["sgd", "adam"])
    with pytest.raises(TypeError, match="收到的是 list"):
        check_choice(["sgd"], "optimizer", ["sgd", "adam"])  # 不可哈希的值也给出清楚的错误
    # 非字符串的取值：按值比较，但 True 不冒充 1
    assert check_choice(2, "k", (1, 2)) == 2
    with pytest.raises(ValueError, match="k 必须是 1、2 之一，收到 True"):
        check_choice(True, "k", (1, 2))


def test_check_bool_and_callable() -> None:
    assert check_bool(True, "compile") is True
    for bad in ("no", 0, None):
        with pytest.raises(TypeError, match="compile 必须是 True 或 False"):
            check_bool(bad, "compile")
    assert check_callable(len, "fn") is len
    with pytest.raises(TypeError, match="fn 必须是可调用对象"):
        check_callable(None, "fn")


def test_check_tensor_options() -> None:
    x = torch.zeros(3, 2)
    assert check_tensor(x, "X") is x  # 默认行为不变：浮点张量
    assert check_tensor(torch.tensor([1, 0]), "y", kind="int").dtype == torch.int64
    assert check_tensor(torch.tensor([True]), "mask", kind="any").dtype == torch.bool
    with pytest.raises(TypeError, match="y 必须是整数张量"):
        check_tensor(torch.tensor([True]), "y", kind="int")
    with pytest.raises(TypeError, match="X 必须是浮点张量"):
        check_tensor(torch.tensor([1, 2]), "X")
    with pytest.raises(ValueError, match=r"X 必须是 2 维张量，收到 1 维（形状 \(4,\)）"):
        check_tensor(torch.zeros(4), "X", ndim=2)
    with pytest.raises(ValueError, match=r"X 不能是空张量，收到形状 \(0, 2\)"):
        check_tensor(torch.zeros(0, 2), "X", nonempty=True)
    with pytest.raises(ValueError, match="kind 必须是"):
        check_tensor(x, "X", kind="double")


def test_check_same_length() -> None:
    assert check_same_length([1, 2], torch.zeros(2, 5), "y_true", "X") == 2
    with pytest.raises(ValueError, match="X 与 y 的样本数（第 0 维长度）必须相同，收到 3 和 2"):
        check_same_length(torch.zeros(3, 1), torch.zeros(2), "X", "y")
    with pytest.raises(ValueError, match="y 必须至少是 1 维"):
        check_same_length(torch.zeros(3, 1), torch.tensor(1), "X", "y")


@pytest.mark.parametrize(("value", "error"), [(None, TypeError), ("abc", TypeError), (5, TypeError), ([3], ValueError)])
def test_check_sizes_rejects_non_sequences_with_named_error(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="sizes 必须"):
        check_sizes(value)


def test_check_sizes_upper_bound() -> None:
    assert check_sizes([2, 100], high=100) == [2, 100]
    with pytest.raises(ValueError, match=r"widths 的每个宽度必须在 \[1, 100\] 内"):
        check_sizes([2, 101], "widths", high=100)


def test_check_seed_none_means_do_not_reseed() -> None:
    """全包的规则：seed=None 不重新设种子（随机数取自全局状态）。"""
    assert check_seed(None) is None


def test_check_numbers() -> None:
    assert check_numbers([1, 2.5], "x0") == [1.0, 2.5]
    assert check_numbers(range(3), "values", kind="int") == [0, 1, 2]
    assert check_numbers(np.array([0.5, 1.5]), "values") == [0.5, 1.5]
    assert check_numbers([], "weights", nonempty=False) == []
    values = check_numbers([1.0, float("nan")], "values")  # 数据里的 NaN 照收
    assert math.isnan(values[1])
    for bad in (None, "abc", 3, {"a": 1}):
        with pytest.raises(TypeError, match="values 必须是数的序列"):
            check_numbers(bad, "values")
    with pytest.raises(ValueError, match="values 不能为空"):
        check_numbers([], "values")
    with pytest.raises(ValueError, match="values 必须是一维的"):
        check_numbers(torch.zeros(2, 2), "values")
    with pytest.raises(TypeError, match="y_true 的元素必须是整数，第 0 个是 bool"):
        check_numbers([True, 0], "y_true", kind="int")
    with pytest.raises(TypeError, match="x0 的元素必须是实数，第 1 个是 NoneType"):
        check_numbers([0.5, None], "x0")
    with pytest.raises(ValueError, match="x0 的元素必须是有限实数，第 0 个是 inf"):
        check_numbers([math.inf], "x0", finite=True)


def test_check_model_input_restores_modes_and_names_both() -> None:
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3), torch.nn.Dropout(0.5))
    net[2].eval()  # 子模块的模式不同：试跑之后各自恢复
    stats = net[1].running_mean.clone()
    out = check_model_input(net, torch.randn(4, 2))
    assert tuple(out.shape) == (1, 3)
    assert net.training and net[1].training and not net[2].training
    assert torch.equal(net[1].running_mean, stats)  # eval 模式试跑：BatchNorm 的统计量不变
    with pytest.raises(ValueError, match=r"model 不接受 X（形状 \(4, 5\)，torch.float32）"):
        check_model_input(net, torch.randn(4, 5))
    with pytest.raises(ValueError, match="model 不接受 X（形状 \\(4, 2\\)，torch.int64）"):
        check_model_input(net, torch.zeros(4, 2, dtype=torch.long))
    with pytest.raises(ValueError, match="X 不能是空张量"):
        check_model_input(net, torch.zeros(0, 2))
    with pytest.raises(TypeError, match="model 必须是 torch.nn.Module"):
        check_model_input(torch.tanh, torch.zeros(1, 2))
