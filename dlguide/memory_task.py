r"""长程记忆的基准任务“标记回忆”：训练、比较循环模型，统计门在标记处的开度。

任务（[`make_adding_problem`][dlguide.data.make_adding_problem]，``markers=1``）：每条序列 $T$ 步，
每步输入一个 $U(-1,1)$ 的值和一个标记位，前半段有一个时刻被标记，模型要在最后一步输出那个值。
要记的值离结尾 $T/2$ 到 $T-1$ 步，只会输出常数的模型 MSE 是 $1/3$。本章（循环神经网络）的几个页面
用同一套设置比较普通 RNN、GRU、LSTM 和它们的变体。
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from dlguide._checks import check_choice, check_int, check_module, check_seed, check_tensor
from dlguide.data import make_adding_problem
from dlguide.device import get_device
from dlguide.models import RECURRENT_LAYERS, RecurrentNet
from dlguide.training import fit

__all__ = ["gate_means_at_marker", "train_marked_recall", "trained_recall_net"]


def train_marked_recall(
    model: nn.Module,
    length: int = 20,
    *,
    n: int = 2048,
    epochs: int = 6,
    batch_size: int = 64,
    lr: float = 0.02,
    test_lengths: Sequence[int] | None = None,
    seed: int | None = 0,
) -> dict[str, object]:
    r"""在“标记回忆”任务上训练一个序列模型：记住前半段被标记的那个值，在最后一步输出它。

    数据来自 [`make_adding_problem`][dlguide.data.make_adding_problem]（``markers=1``）：输入 ``(B, T, 2)``，
    目标 ``(B, 1)``；只会输出常数的模型 MSE 约为 $1/3$。训练用 [`fit`][dlguide.training.fit]
    （Adam、MSE、小批量），再在新生成的测试序列上量 MSE。本章几个页面用同一套设置比较不同的循环单元。

    Parameters
    ----------
    model : torch.nn.Module
        输入 ``(B, T, 2)``、输出 ``(B, 1)`` 的模型，例如 ``RecurrentNet(kind, 2, H, 1)``（就地训练）。
    length : int
        训练序列长度 $T$，在 [2, 1000] 内；要记住的值离结尾 $T/2$ 到 $T-1$ 步。
    n : int
        训练序列条数，在 [1, 100000] 内。
    epochs, batch_size : int
        训练轮数（[1, 1000]）与小批量大小。
    lr : float
        Adam 的学习率。
    test_lengths : sequence of int, optional
        在这些长度的测试序列（各 1000 条）上量 MSE；默认只用 ``length``。
    seed : int, optional
        训练数据与打乱顺序的种子；测试数据用 ``seed + 1``；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict
        ``"losses"``：每轮的平均训练损失（list[float]）；``"test_mse"``：``{测试长度: MSE}``。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> result = train_marked_recall(RecurrentNet("gru", 2, 8, 1, seed=0), 6, n=256, epochs=2)
    >>> len(result["losses"]), list(result["test_mse"])
    (2, [6])
    """
    check_module(model, "model")
    check_int(length, "length", low=2, high=1000)
    check_int(n, "n", low=1, high=100_000)
    check_int(epochs, "epochs", low=1, high=1000)
    check_int(batch_size, "batch_size", low=1, high=100_000)
    check_seed(seed)
    if test_lengths is not None and (isinstance(test_lengths, str) or not isinstance(test_lengths, Sequence)):
        raise TypeError(f"test_lengths 必须是整数序列（例如 [20, 100]），收到的是 {type(test_lengths).__name__}")
    lengths = [length] if test_lengths is None else list(test_lengths)
    for value in lengths:
        check_int(value, "test_lengths 的元素", low=2, high=10_000)
    X, y = make_adding_problem(n, length, markers=1, seed=seed)
    losses = fit(
        model, X, y, loss_fn=nn.functional.mse_loss, epochs=epochs, lr=lr, batch_size=batch_size, optimizer="adam", seed=seed
    )
    device = next(model.parameters()).device
    test_mse = {}
    model.eval()
    with torch.no_grad():
        for value in lengths:
            X_test, y_test = make_adding_problem(1000, value, markers=1, seed=None if seed is None else (seed + 1) % 2**63)
            test_mse[value] = nn.functional.mse_loss(model(X_test.to(device)), y_test.to(device)).item()
    model.train()
    return {"losses": losses, "test_mse": test_mse}


def gate_means_at_marker(trace: dict[str, torch.Tensor], X: torch.Tensor) -> dict[str, tuple[float, float]]:
    r"""标记回忆任务上，每个门在“被标记的时刻”和“其余时刻”的平均开度（对单元和序列取平均）。

    Parameters
    ----------
    trace : dict[str, torch.Tensor]
        [`trace_gates`][dlguide.recurrent.trace_gates] 的结果，每项形状 ``(T, B, H)``。
    X : torch.Tensor
        对应的输入 ``(B, T, 2)``（[`make_adding_problem`][dlguide.data.make_adding_problem] 的布局），
        ``X[..., 1]`` 是标记。

    Returns
    -------
    dict[str, tuple[float, float]]
        门名（LSTM 的 ``"i"``、``"f"``、``"o"``，GRU 的 ``"r"``、``"z"``）→ ``(其余时刻的均值, 标记时刻的均值)``。

    Raises
    ------
    TypeError, ValueError
        ``trace`` 不是字典，或形状与 ``X`` 对不上。

    Examples
    --------
    >>> from dlguide.recurrent import trace_gates
    >>> X, _ = make_adding_problem(4, 6, markers=1)
    >>> means = gate_means_at_marker(trace_gates(nn.GRU(2, 3, batch_first=True), X), X)
    >>> sorted(means), all(0 < v < 1 for pair in means.values() for v in pair)
    (['r', 'z'], True)
    """
    if not isinstance(trace, dict):
        raise TypeError(f"trace 必须是 trace_gates 返回的字典，收到的是 {type(trace).__name__}")
    check_tensor(X, "X", ndim=3, nonempty=True)
    if X.shape[-1] != 2:
        raise ValueError(f"X 的形状必须是 (B, T, 2)（值、标记），收到 {tuple(X.shape)}")
    at = (X[..., 1] > 0.5).T  # (T, B)：标记所在的时刻
    means = {}
    for name in ("i", "f", "o", "r", "z"):
        if name not in trace:
            continue
        gate = check_tensor(trace[name], f"trace[{name!r}]", ndim=3)
        if gate.shape[:2] != at.shape:
            raise ValueError(
                f"X 与 trace[{name!r}] 对不上：X 是 {tuple(X.shape)}（B, T, 2），trace 应为 (T, B, H)，收到 {tuple(gate.shape)}"
            )
        mask = at.to(gate.device)
        means[name] = (gate[~mask].mean().item(), gate[mask].mean().item())
    return means


_TRAINED: dict[tuple, tuple[RecurrentNet, dict[str, object]]] = {}


def trained_recall_net(
    kind: str, forget_bias: float | None = None, *, length: int = 20, hidden: int = 16, seed: int | None = 0
) -> tuple[RecurrentNet, dict[str, object]]:
    """``RecurrentNet(kind, 2, hidden, 1)`` 在长 ``length`` 的标记回忆任务上按默认设置训练好的结果（同一进程里只训练一次）。

    给了整数种子时训练是确定的，同样的参数总得到同样的模型；本函数把结果按参数和设备缓存起来，
    几个页面、几张图用同一个模型时不必重复训练。返回的模型是共享的，**不要**就地修改它。
    ``seed=None`` 时每次调用都重新训练、不缓存（全局随机状态每次不同，结果本来就不该相同）。

    Parameters
    ----------
    kind : str
        ``"rnn"``、``"gru"`` 或 ``"lstm"``。
    forget_bias : float, optional
        只对 LSTM：有效遗忘门偏置；``None`` 表示 PyTorch 默认初始化。
    length : int
        训练序列长度，在 [2, 100] 内。
    hidden : int
        隐藏维数，在 [1, 256] 内。
    seed : int, optional
        初始化与数据的种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态（这时不缓存）。

    Returns
    -------
    tuple
        ``(model, result)``：训练好的模型（评估模式），和 [`train_marked_recall`][dlguide.memory_task.train_marked_recall] 的结果。

    Raises
    ------
    TypeError, ValueError
        参数类型不对或越界。

    Examples
    --------
    >>> net, result = trained_recall_net("gru", length=6, hidden=4)
    >>> trained_recall_net("gru", length=6, hidden=4)[0] is net        # 第二次直接取缓存
    True
    """
    check_choice(kind, "kind", tuple(RECURRENT_LAYERS))
    check_int(length, "length", low=2, high=100)
    check_int(hidden, "hidden", low=1, high=256)
    check_seed(seed)
    key = (kind, forget_bias, length, hidden, seed, str(get_device()))
    if seed is None or key not in _TRAINED:
        net = RecurrentNet(kind, 2, hidden, 1, forget_bias=forget_bias, seed=seed)
        result = train_marked_recall(net, length, seed=seed)
        if seed is None:  # 全局随机状态：每次不同，缓存起来就把两次不同的训练当成了一次
            return net.eval(), result
        _TRAINED[key] = (net.eval(), result)
    return _TRAINED[key]
