r"""全连接网络各层张量的形状规则，以及按规则检查一个模型。

记第 $l$ 层的宽度为 $n^{[l]}$（$n^{[0]}$ 是输入维度），一次处理 $m$ 个样本。
吴恩达课程（以及原笔记）用**列**约定：每个样本是一列，

$$
Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}, \quad
W^{[l]}\in\mathbb R^{n^{[l]}\times n^{[l-1]}},\ b^{[l]}\in\mathbb R^{n^{[l]}\times 1},\
Z^{[l]}, A^{[l]}\in\mathbb R^{n^{[l]}\times m} .
$$

PyTorch 用**行**约定：每个样本是一行，``nn.Linear`` 计算 $Z^\top = A^\top W^\top + b^\top$，
``weight`` 的形状仍是 ``(out, in)`` $= n^{[l]}\times n^{[l-1]}$，``bias`` 是 ``(out,)``，输入输出是 ``(m, in)``、``(m, out)``。
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from dlguide._checks import check_int, check_module, check_sizes

__all__ = ["layer_shapes", "check_linear_shapes"]


# --8<-- [start:layer_shapes]
def layer_shapes(sizes: Sequence[int], m: int) -> list[dict[str, tuple[int, ...]]]:
    r"""按维度规则列出第 $1..L$ 层各个张量的形状。

    列约定（笔记）：$W^{[l]}: n^{[l]}\times n^{[l-1]}$，$b^{[l]}: n^{[l]}\times 1$，
    $Z^{[l]}, A^{[l]}: n^{[l]}\times m$；梯度 $dW, db, dZ, dA$ 与对应的量同形状。
    行约定（PyTorch）：``weight`` $n^{[l]}\times n^{[l-1]}$，``bias`` $(n^{[l]},)$，输出 $m\times n^{[l]}$。

    Parameters
    ----------
    sizes : Sequence[int]
        $[n^{[0]}, n^{[1]}, \dots, n^{[L]}]$，至少 2 个正整数。
    m : int
        样本数，≥ 1。

    Returns
    -------
    list[dict]
        第 $l$ 个元素（从 0 数）对应第 $l+1$ 层，键为 ``W``、``b``、``Z``、``A``（列约定）和
        ``weight``、``bias``、``output``（PyTorch 行约定）。

    Raises
    ------
    ValueError
        ``sizes`` 或 ``m`` 不合法。

    Examples
    --------
    >>> layer_shapes([3, 4, 1], m=5)[0]
    {'W': (4, 3), 'b': (4, 1), 'Z': (4, 5), 'A': (4, 5), 'weight': (4, 3), 'bias': (4,), 'output': (5, 4)}
    """
    sizes = check_sizes(sizes)
    check_int(m, "m", low=1)
    table = []
    for n_prev, n in zip(sizes[:-1], sizes[1:]):
        table.append({
            # 列约定：Z = W A_prev + b，b 沿 m 个样本的列广播
            "W": (n, n_prev), "b": (n, 1), "Z": (n, m), "A": (n, m),
            # 行约定：output = input @ weight.T + bias
            "weight": (n, n_prev), "bias": (n,), "output": (m, n),
        })
    return table
# --8<-- [end:layer_shapes]


# --8<-- [start:check_linear_shapes]
def check_linear_shapes(model: nn.Module, sizes: Sequence[int]) -> None:
    r"""检查 ``model`` 里按顺序出现的 ``nn.Linear`` 层是否符合 ``sizes`` 的维度规则，不符合就抛出说明哪一层、哪里错的 ``ValueError``。

    Parameters
    ----------
    model : torch.nn.Module
        含若干 ``nn.Linear`` 的模型。
    sizes : Sequence[int]
        期望的各层宽度 $[n^{[0]}, \dots, n^{[L]}]$。

    Raises
    ------
    TypeError
        ``model`` 不是 ``nn.Module``。
    ValueError
        线性层个数不是 $L$，或某一层 ``weight``/``bias`` 的形状不对。

    Examples
    --------
    >>> from torch import nn
    >>> check_linear_shapes(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)), [3, 4, 1])
    >>> check_linear_shapes(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(5, 1)), [3, 4, 1])
    Traceback (most recent call last):
    ...
    ValueError: 第 2 层：weight 应为 (1, 4)（n^[2]×n^[1]），实际是 (1, 5)
    """
    check_module(model, "model")
    expected = layer_shapes(sizes, m=1)
    linears = [layer for layer in model.modules() if isinstance(layer, nn.Linear)]
    if len(linears) != len(expected):
        raise ValueError(f"sizes 描述了 {len(expected)} 个线性层，模型里有 {len(linears)} 个")
    for l, (layer, shapes) in enumerate(zip(linears, expected), start=1):
        weight = tuple(layer.weight.shape)
        if weight != shapes["weight"]:
            raise ValueError(
                f"第 {l} 层：weight 应为 {shapes['weight']}（n^[{l}]×n^[{l - 1}]），实际是 {weight}"
            )
        if layer.bias is not None and tuple(layer.bias.shape) != shapes["bias"]:
            raise ValueError(f"第 {l} 层：bias 应为 {shapes['bias']}，实际是 {tuple(layer.bias.shape)}")
# --8<-- [end:check_linear_shapes]
